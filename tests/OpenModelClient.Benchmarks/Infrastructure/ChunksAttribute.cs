namespace OpenModelClient.Benchmarks;

/// <summary>How many chunks (text, reasoning or argument pieces) one operation of a benchmark receives, for the bytes-per-chunk column.</summary>
/// <remarks>A benchmark with a <c>Chunks</c> parameter needs no attribute.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class ChunksAttribute(int count) : Attribute
{
    public int Count { get; } = count;
}
