using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>A native <c>/completion</c> result, or one streamed piece of it (the last piece has <see cref="IsFinal"/> set and carries the totals).</summary>
public sealed class LlamaCppCompletion
{
    internal LlamaCppCompletion(JsonElement raw)
    {
        Raw = raw;
        Content = LlamaCppJson.GetString(raw, "content") ?? string.Empty;
        IsFinal = LlamaCppJson.GetBool(raw, "stop") ?? false;
        StopType = LlamaCppJson.GetString(raw, "stop_type");
        StoppingWord = LlamaCppJson.GetString(raw, "stopping_word") is { Length: > 0 } word ? word : null;
        Model = LlamaCppJson.GetString(raw, "model");
        Slot = LlamaCppJson.GetInt64(raw, "id_slot");
        var tokens = new List<int>();
        if (raw.TryGetProperty("tokens", out var tokenArray) && tokenArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in tokenArray.EnumerateArray())
            {
                if (token.ValueKind == JsonValueKind.Number)
                {
                    tokens.Add(WireNumbers.Int32(token, ProviderNames.LlamaCpp, "a token id"));
                }
            }
        }

        Tokens = tokens;
        if (IsFinal)
        {
            long? predicted = LlamaCppJson.GetInt64(raw, "tokens_predicted");
            long? evaluated = LlamaCppJson.GetInt64(raw, "tokens_evaluated");
            var timings = raw.TryGetProperty("timings", out var t) ? t.Deserialize(OpenAICompatibleJsonContext.Default.ServerTimings) : null;
            Usage = OpenAICompatibleResponseMapper.ToUsage(
                new ChatCompletionUsage { PromptTokens = evaluated, CompletionTokens = predicted, TotalTokens = WireNumbers.Sum(evaluated, predicted) },
                timings);
        }
    }

    /// <summary>Gets the generated text (of this piece, when streaming).</summary>
    public string Content { get; }

    /// <summary>Gets a value indicating whether this is the final result, carrying the totals.</summary>
    public bool IsFinal { get; }

    /// <summary>Gets why generation stopped (<c>eos</c>, <c>limit</c>, <c>word</c>), on the final result.</summary>
    public string? StopType { get; }

    /// <summary>Gets the stop string that ended generation, if one did.</summary>
    public string? StoppingWord { get; }

    /// <summary>Gets the model that answered, on the final result.</summary>
    public string? Model { get; }

    /// <summary>Gets the slot that ran the request.</summary>
    public long? Slot { get; }

    /// <summary>Gets the generated token ids (of this piece, when streaming).</summary>
    public IReadOnlyList<int> Tokens { get; }

    /// <summary>Gets the token counts and server timings, on the final result.</summary>
    public UsageDetails? Usage { get; }

    /// <summary>Gets the whole object as the server sent it, e.g. <c>completion_probabilities</c> and <c>generation_settings</c>.</summary>
    public JsonElement Raw { get; }
}
