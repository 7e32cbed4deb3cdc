using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Reads the log probabilities that this library's clients attach to responses, the same way for every server.</summary>
/// <remarks>
/// <para>Request them through <c>ChatOptions.AdditionalProperties</c> as each server names them: <c>["logprobs"] = true</c> and
/// <c>["top_logprobs"] = 5</c> on OpenAI-compatible servers and Ollama, or llama.cpp's <c>["n_probs"] = 5</c>.</para>
/// <para>A non-streamed reply carries them on each <see cref="ChatMessage"/> (one per choice); a stream carries each chunk's tokens on
/// its <see cref="ChatResponseUpdate"/>. Read them from the updates as they arrive: <c>ToChatResponse()</c> keeps only one update's
/// additional properties. The server's own JSON stays available under <see cref="RawKey"/> for fields this does not model.</para>
/// </remarks>
public static class LogprobsExtensions
{
    /// <summary>The <c>AdditionalProperties</c> key under which the server's log-probability JSON (a <see cref="JsonElement"/>) is kept.</summary>
    public const string RawKey = "logprobs";

    /// <summary>Gets the tokens of a non-streamed message (one choice) with their log probabilities.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The tokens in order, or <see langword="null"/> when the server reported none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<TokenLogprob>? GetLogprobs(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Read(message.AdditionalProperties);
    }

    /// <summary>Gets the tokens one streamed update carried, with their log probabilities.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The tokens in order, or <see langword="null"/> when the update carried none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<TokenLogprob>? GetLogprobs(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    private static List<TokenLogprob>? Read(AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(RawKey, out var value) is not true || value is not JsonElement json)
        {
            return null;
        }

        // OpenAI-compatible servers send {"content": [...]}; Ollama sends the array itself.
        var tokens = json.ValueKind switch
        {
            JsonValueKind.Object when json.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array => content,
            JsonValueKind.Array => json,
            _ => default,
        };
        return tokens.ValueKind == JsonValueKind.Array ? ReadList(tokens) : null;
    }

    private static List<TokenLogprob> ReadList(JsonElement array)
    {
        var list = new List<TokenLogprob>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (ReadToken(item) is { } token)
            {
                list.Add(token);
            }
        }

        return list;
    }

    private static TokenLogprob? ReadToken(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("logprob", out var logprob) || !logprob.TryGetDouble(out double value))
        {
            return null; // a shape this does not know is left to the raw JSON, never guessed at
        }

        byte[]? bytes = null;
        if (item.TryGetProperty("bytes", out var byteArray) && byteArray.ValueKind == JsonValueKind.Array)
        {
            bytes = new byte[byteArray.GetArrayLength()];
            int i = 0;
            foreach (var b in byteArray.EnumerateArray())
            {
                bytes[i++] = b.TryGetByte(out byte one) ? one : (byte)0;
            }
        }

        var top = item.TryGetProperty("top_logprobs", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array ? ReadList(alternatives) : null;
        return new TokenLogprob(token.GetString()!, value, bytes, top);
    }
}
