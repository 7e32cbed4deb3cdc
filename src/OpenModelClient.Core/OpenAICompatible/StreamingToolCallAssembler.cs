using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Assembles streamed tool-call fragments by <c>index</c>: id and name come from the first fragment that has them.</summary>
/// <remarks>Later fragments may repeat an empty <c>"id":""</c> (DashScope) or omit id and type (llama.cpp); both are ignored.</remarks>
internal sealed class StreamingToolCallAssembler
{
    private readonly SortedDictionary<int, Builder> _calls = [];

    public bool HasCalls => _calls.Count > 0;

    public void Add(ChatCompletionToolCall fragment, int fallbackIndex)
    {
        int index = fragment.Index ?? fallbackIndex;
        if (!_calls.TryGetValue(index, out var builder))
        {
            builder = new Builder();
            _calls.Add(index, builder);
        }

        if (builder.Id is null && !string.IsNullOrEmpty(fragment.Id))
        {
            builder.Id = fragment.Id;
        }

        if (builder.Name is null && !string.IsNullOrEmpty(fragment.Function?.Name))
        {
            builder.Name = fragment.Function!.Name;
        }

        if (fragment.Function?.Arguments is { Length: > 0 } arguments)
        {
            builder.Arguments.Append(arguments);
        }
    }

    /// <summary>Completes every call seen so far and forgets them.</summary>
    /// <exception cref="OpenModelProtocolException">A call never received its function name.</exception>
    public void Drain(IList<AIContent> output, string provider)
    {
        int ordinal = 0;
        foreach (var builder in _calls.Values)
        {
            output.Add(ChatContentMapping.CreateFunctionCall(provider, builder.Id, builder.Name, builder.Arguments.ToString(), ordinal++));
        }

        _calls.Clear();
    }

    private sealed class Builder
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
