using System.Text.Json;

namespace OpenModelClient.Tests.Shared;

/// <summary>What a one-pass reader or the serializer made of a chunk, as one string the differential tests compare.</summary>
internal static class ReadOutcome
{
    /// <summary>The chunk <paramref name="read"/> gave, the name of the exception it threw, or "fallback" when the reader handed the chunk to the serializer.</summary>
    public static string Of(Func<string?> read)
    {
        try
        {
            return read() ?? "fallback";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return e.GetType().Name;
        }
    }
}
