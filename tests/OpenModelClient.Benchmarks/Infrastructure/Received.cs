using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>What one client run produced, compared with what the server sent: no number may be flattered by dropped data.</summary>
internal sealed class Received(string client)
{
    public StringBuilder Text { get; } = new();

    public StringBuilder Reasoning { get; } = new();

    /// <summary>Gets the raw argument text, for clients that expose it (the floor).</summary>
    public StringBuilder RawArguments { get; } = new();

    public List<FunctionCallContent> Calls { get; } = [];

    public List<float[]> Vectors { get; } = [];

    /// <summary>Collects the text, reasoning and calls of a stream of updates, the way every benchmark consumes them.</summary>
    public static async Task<int> DrainAsync(IAsyncEnumerable<ChatResponseUpdate> updates, Received? received)
    {
        int seen = 0;
        await foreach (var update in updates.ConfigureAwait(false))
        {
            seen += Count(update.Contents, received);
        }

        return seen;
    }

    /// <summary>Counts (and, when validating, records) the visible contents of one update or message.</summary>
    public static int Count(IList<AIContent> contents, Received? received)
    {
        int seen = 0;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    seen += text.Text.Length;
                    received?.Text.Append(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    seen += reasoning.Text.Length;
                    received?.Reasoning.Append(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    seen++;
                    received?.Calls.Add(call);
                    break;
            }
        }

        return seen;
    }

    /// <summary>Throws unless everything the payload carries arrived intact.</summary>
    public void Verify(Payload payload)
    {
        Check("text", payload.Text, Text.ToString());
        Check("reasoning", payload.Reasoning, Reasoning.ToString());
        if (payload.ToolArguments is { } arguments)
        {
            if (RawArguments.Length > 0)
            {
                Check("tool-call arguments", arguments, RawArguments.ToString());
            }
            else
            {
                if (Calls.Count != 1)
                {
                    Fail($"expected 1 tool call, got {Calls.Count}");
                }

                var call = Calls[0];
                Check("tool name", payload.ToolName!, call.Name);
                Check("tool call id", payload.ToolCallId!, call.CallId);
                if (call.Arguments is null || call.Arguments.Count != payload.ToolArgumentValues!.Count)
                {
                    Fail($"expected {payload.ToolArgumentValues!.Count} tool arguments, got {call.Arguments?.Count}");
                }

                foreach (var (name, expected) in payload.ToolArgumentValues)
                {
                    var value = call.Arguments.TryGetValue(name, out var v) ? v : null;
                    Check($"tool argument '{name}'", expected, value switch
                    {
                        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                        string s => s,
                        _ => value?.ToString(),
                    });
                }
            }
        }
        else if (Calls.Count != 0)
        {
            Fail($"expected no tool call, got {Calls.Count}");
        }

        if (payload.Vectors is { } vectors)
        {
            if (Vectors.Count != vectors.Count)
            {
                Fail($"expected {vectors.Count} vectors, got {Vectors.Count}");
            }

            for (int i = 0; i < vectors.Count; i++)
            {
                if (!vectors[i].AsSpan().SequenceEqual(Vectors[i]))
                {
                    Fail($"vector {i} differs");
                }
            }
        }
    }

    private void Check(string what, string expected, string? actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            int at = 0;
            while (actual is not null && at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
            {
                at++;
            }

            Fail($"{what} differs at char {at}: expected {expected.Length} chars, got {actual?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");
        }
    }

    [DoesNotReturn]
    private void Fail(string message) => throw new InvalidOperationException($"{client}: {message}.");
}
