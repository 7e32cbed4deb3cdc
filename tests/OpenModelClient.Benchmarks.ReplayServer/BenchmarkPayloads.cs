using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The bodies the replay server sends, and what a client must get out of them. Deterministic, so the server and the
/// benchmark process (which links this file) build the same bytes independently. A scenario is the first path segment.
/// </summary>
public static class BenchmarkPayloads
{
    public const string Model = "bench-model";
    public const string Reasoning = "reasoning";
    public const string ToolCall = "tool";
    public const string FirstUpdate = "ttfu";
    public const string Chat = "chat";
    public const string Embeddings = "embed";
    public const string OllamaChat = "ollama-chat";
    public const string OllamaEmbeddings = "ollama-embed";
    public const string OllamaFirstUpdate = "ollama-ttfu";
    public const int ReasoningChunks = 5_000;
    public const int ReasoningAnswerChunks = 5_000;
    public const int ToolArgumentFragments = 2_000;
    public const int FirstUpdateChunks = 16;
    public const int ChatTokens = 500;
    public const int EmbeddingInputs = 16;
    public const int EmbeddingDimensions = 768;

    // Mostly ASCII word pieces, as real tokenizers produce, plus JSON escapes and multi-byte UTF-8 now and then.
    private static readonly string[] Vocabulary =
    [
        " The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", " It", " was", " a", " bright",
        " cold", " day", " in", " April", ",", " and", " the", " clocks", " were", " striking", " thirteen", ".", "\n", " \"Quote\"",
        " café", " naïve", " 東京", " 😀",
    ];

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping; // raw UTF-8, as llama.cpp, vLLM and Ollama send
    private static readonly ConcurrentDictionary<string, Lazy<Payload>> Cache = new();

    public static string TextScenario(int chunks) => $"text-{chunks}";

    public static string OllamaScenario(int chunks) => $"ollama-{chunks}";

    /// <summary>Gets the length of a send stamp: a <c>Stopwatch.GetTimestamp()</c> value as 19 decimal digits.</summary>
    public const int StampLength = 19;

    /// <summary>Gets what a stamped stream's every text piece holds until the server overwrites it with the time it sends the chunk.</summary>
    public static string StampPlaceholder { get; } = new('0', StampLength);

    /// <summary>An SSE (or, with <paramref name="ndjson"/>, Ollama NDJSON) stream whose every text piece is <see cref="StampPlaceholder"/>.
    /// When paced, the replay server writes its <c>Stopwatch.GetTimestamp()</c> there as it sends the chunk, so a client on the same
    /// machine (one monotonic clock for all processes) reads how long the chunk took to reach it.</summary>
    public static string StampedScenario(int chunks, bool ndjson) => ndjson ? $"stamped-ndjson-{chunks}" : $"stamped-sse-{chunks}";

    public static string Token(int i) => Vocabulary[i % Vocabulary.Length];

    /// <summary>Gets (building once) the payload of a scenario; <see langword="null"/> for an unknown one.</summary>
    public static Payload? Get(string scenario) =>
        IsKnown(scenario) ? Cache.GetOrAdd(scenario, s => new Lazy<Payload>(() => Build(s) ?? throw new InvalidOperationException(s))).Value : null;

    public static bool IsKnown(string scenario) =>
        scenario is Reasoning or ToolCall or FirstUpdate or Chat or Embeddings or OllamaChat or OllamaEmbeddings or OllamaFirstUpdate
        || TryCount(scenario, "text-", out _) || TryCount(scenario, "ollama-", out _)
        || TryCount(scenario, "stamped-sse-", out _) || TryCount(scenario, "stamped-ndjson-", out _);

    private static Payload? Build(string scenario)
    {
        if (TryCount(scenario, "text-", out int n))
        {
            return SseText(n);
        }

        if (TryCount(scenario, "ollama-", out n))
        {
            return OllamaText(n);
        }

        if (TryCount(scenario, "stamped-sse-", out n))
        {
            return SseText(n, _ => StampPlaceholder);
        }

        if (TryCount(scenario, "stamped-ndjson-", out n))
        {
            return OllamaText(n, _ => StampPlaceholder);
        }

        return scenario switch
        {
            Reasoning => SseReasoning(),
            ToolCall => SseToolCall(),
            FirstUpdate => SseText(FirstUpdateChunks),
            Chat => ChatCompletion(),
            Embeddings => OpenAIEmbeddings(),
            OllamaChat => OllamaChatBody(),
            OllamaEmbeddings => OllamaEmbed(),
            OllamaFirstUpdate => OllamaText(FirstUpdateChunks),
            _ => null,
        };
    }

    private static bool TryCount(string scenario, string prefix, out int count)
    {
        count = 0;
        return scenario.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(scenario.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && count is > 0 and <= 1_000_000;
    }

    private static string Json(string text) => JsonEncodedText.Encode(text, Encoder).ToString();

    private static string ChunkHead() =>
        $"data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1750000000,\"model\":\"{Model}\",\"system_fingerprint\":\"b6000-bench\",\"choices\":[";

    private static void AppendDelta(StringBuilder sse, string delta, string finishReason = "null") =>
        sse.Append(ChunkHead()).Append("{\"index\":0,\"delta\":").Append(delta).Append(",\"logprobs\":null,\"finish_reason\":").Append(finishReason).Append("}]}\n\n");

    private static void AppendEnd(StringBuilder sse, string finishReason, int completionTokens)
    {
        AppendDelta(sse, "{}", $"\"{finishReason}\"");
        sse.Append(ChunkHead()).Append("],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":").Append(completionTokens)
            .Append(",\"total_tokens\":").Append(12 + completionTokens).Append("}}\n\n");
        sse.Append("data: [DONE]\n\n");
    }

    private static Payload SseText(int chunks, Func<int, string>? tokens = null)
    {
        tokens ??= Token;
        var sse = new StringBuilder(chunks * 220);
        var text = new StringBuilder(chunks * 6);
        AppendDelta(sse, "{\"role\":\"assistant\",\"content\":\"\"}");
        for (int i = 0; i < chunks; i++)
        {
            var token = tokens(i);
            text.Append(token);
            AppendDelta(sse, $"{{\"content\":\"{Json(token)}\"}}");
        }

        AppendEnd(sse, "stop", chunks);
        return new Payload(Encoding.UTF8.GetBytes(sse.ToString()), "text/event-stream", isStream: true, chunks, text.ToString());
    }

    private static Payload SseReasoning()
    {
        var sse = new StringBuilder((ReasoningChunks + ReasoningAnswerChunks) * 230);
        var reasoning = new StringBuilder();
        var text = new StringBuilder();
        AppendDelta(sse, "{\"role\":\"assistant\",\"content\":null}");
        for (int i = 0; i < ReasoningChunks; i++)
        {
            var token = Token(i + 7);
            reasoning.Append(token);
            AppendDelta(sse, $"{{\"content\":null,\"reasoning_content\":\"{Json(token)}\"}}");
        }

        for (int i = 0; i < ReasoningAnswerChunks; i++)
        {
            var token = Token(i);
            text.Append(token);
            AppendDelta(sse, $"{{\"content\":\"{Json(token)}\"}}");
        }

        AppendEnd(sse, "stop", ReasoningChunks + ReasoningAnswerChunks);
        return new Payload(Encoding.UTF8.GetBytes(sse.ToString()), "text/event-stream", isStream: true, ReasoningChunks + ReasoningAnswerChunks, text.ToString())
        {
            Reasoning = reasoning.ToString(),
        };
    }

    private static Payload SseToolCall()
    {
        // write_file({"path":"notes.txt","content":"…"}), streamed a few characters at a time as llama.cpp and vLLM do.
        var content = new StringBuilder();
        for (int i = 0; content.Length < ToolArgumentFragments * 4; i++)
        {
            content.Append(Token(i));
        }

        string arguments = $"{{\"path\":\"notes.txt\",\"content\":{JsonSerializer.Serialize(content.ToString())}}}";
        var sse = new StringBuilder(ToolArgumentFragments * 240);
        AppendDelta(sse, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_bench\",\"type\":\"function\",\"function\":{\"name\":\"write_file\",\"arguments\":\"\"}}]}");
        const int fragments = ToolArgumentFragments;
        for (int i = 0; i < fragments; i++)
        {
            int start = (int)((long)i * arguments.Length / fragments);
            int end = (int)((long)(i + 1) * arguments.Length / fragments);
            AppendDelta(sse, $"{{\"tool_calls\":[{{\"index\":0,\"function\":{{\"arguments\":\"{Json(arguments[start..end])}\"}}}}]}}");
        }

        AppendEnd(sse, "tool_calls", fragments);
        return new Payload(Encoding.UTF8.GetBytes(sse.ToString()), "text/event-stream", isStream: true, fragments, string.Empty)
        {
            ToolName = "write_file",
            ToolCallId = "call_bench",
            ToolArguments = arguments,
            ToolArgumentValues = new Dictionary<string, string> { ["path"] = "notes.txt", ["content"] = content.ToString() },
        };
    }

    private static string LongAnswer(int tokens)
    {
        var text = new StringBuilder(tokens * 6);
        for (int i = 0; i < tokens; i++)
        {
            text.Append(Token(i));
        }

        return text.ToString();
    }

    private static Payload ChatCompletion()
    {
        var text = LongAnswer(ChatTokens);
        var body = $"{{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1750000000,\"model\":\"{Model}\",\"system_fingerprint\":\"b6000-bench\","
            + $"\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":\"{Json(text)}\"}},\"logprobs\":null,\"finish_reason\":\"stop\"}}],"
            + $"\"usage\":{{\"prompt_tokens\":12,\"completion_tokens\":{ChatTokens},\"total_tokens\":{12 + ChatTokens}}}}}";
        return new Payload(Encoding.UTF8.GetBytes(body), "application/json", isStream: false, 1, text);
    }

    private static float[][] Vectors(int seed)
    {
        var random = new Random(seed);
        var vectors = new float[EmbeddingInputs][];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new float[EmbeddingDimensions];
            for (int d = 0; d < EmbeddingDimensions; d++)
            {
                // Through text and back, so that the expected value is exactly what a parser of the body gets.
                vectors[i][d] = float.Parse(((float)((random.NextDouble() * 0.2) - 0.1)).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            }
        }

        return vectors;
    }

    private static void AppendVector(StringBuilder json, float[] vector)
    {
        json.Append('[');
        for (int d = 0; d < vector.Length; d++)
        {
            json.Append(d == 0 ? string.Empty : ",").Append(vector[d].ToString("R", CultureInfo.InvariantCulture));
        }

        json.Append(']');
    }

    private static Payload OpenAIEmbeddings()
    {
        var vectors = Vectors(42);
        var json = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < vectors.Length; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append("{\"object\":\"embedding\",\"index\":").Append(i).Append(",\"embedding\":");
            AppendVector(json, vectors[i]);
            json.Append('}');
        }

        json.Append($"],\"model\":\"{Model}\",\"usage\":{{\"prompt_tokens\":{EmbeddingInputs * 8},\"total_tokens\":{EmbeddingInputs * 8}}}}}");
        return new Payload(Encoding.UTF8.GetBytes(json.ToString()), "application/json", isStream: false, EmbeddingInputs, string.Empty) { Vectors = vectors };
    }

    private const string OllamaCreatedAt = "2025-06-01T12:00:00.123456789Z"; // Go's RFC 3339 with nanoseconds, as Ollama writes it

    /// <summary>Line <paramref name="i"/>'s <c>created_at</c>: Ollama stamps every line, so it changes on every line (here 60 a second).</summary>
    private static string OllamaLineCreatedAt(int i)
    {
        long nanoseconds = 123_456_789 + (i * 16_666_667L);
        var fraction = (nanoseconds % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'); // Go trims trailing zeros
        var time = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddSeconds(nanoseconds / 1_000_000_000);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    private static string OllamaDone(int evalCount) =>
        $"\"done\":true,\"done_reason\":\"stop\",\"total_duration\":5191566416,\"load_duration\":2154458,\"prompt_eval_count\":12,\"prompt_eval_duration\":383809000,\"eval_count\":{evalCount},\"eval_duration\":4799921000}}";

    private static Payload OllamaText(int chunks, Func<int, string>? tokens = null)
    {
        tokens ??= Token;
        var ndjson = new StringBuilder(chunks * 130);
        var text = new StringBuilder(chunks * 6);
        for (int i = 0; i < chunks; i++)
        {
            var token = tokens(i);
            text.Append(token);
            ndjson.Append($"{{\"model\":\"{Model}\",\"created_at\":\"{OllamaLineCreatedAt(i)}\",\"message\":{{\"role\":\"assistant\",\"content\":\"{Json(token)}\"}},\"done\":false}}\n");
        }

        ndjson.Append($"{{\"model\":\"{Model}\",\"created_at\":\"{OllamaLineCreatedAt(chunks)}\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},").Append(OllamaDone(chunks)).Append('\n');
        return new Payload(Encoding.UTF8.GetBytes(ndjson.ToString()), "application/x-ndjson", isStream: true, chunks, text.ToString());
    }

    private static Payload OllamaChatBody()
    {
        var text = LongAnswer(ChatTokens);
        var body = $"{{\"model\":\"{Model}\",\"created_at\":\"{OllamaCreatedAt}\",\"message\":{{\"role\":\"assistant\",\"content\":\"{Json(text)}\"}}," + OllamaDone(ChatTokens);
        return new Payload(Encoding.UTF8.GetBytes(body), "application/json", isStream: false, 1, text);
    }

    private static Payload OllamaEmbed()
    {
        var vectors = Vectors(7);
        var json = new StringBuilder($"{{\"model\":\"{Model}\",\"embeddings\":[");
        for (int i = 0; i < vectors.Length; i++)
        {
            json.Append(i == 0 ? string.Empty : ",");
            AppendVector(json, vectors[i]);
        }

        json.Append($"],\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":{EmbeddingInputs * 8}}}");
        return new Payload(Encoding.UTF8.GetBytes(json.ToString()), "application/json", isStream: false, EmbeddingInputs, string.Empty) { Vectors = vectors };
    }
}

/// <summary>One scenario: the exact body, how it is framed, and the ground truth a client must reproduce.</summary>
public sealed class Payload(byte[] body, string contentType, bool isStream, int chunks, string text)
{
    public byte[] Body { get; } = body;

    public string ContentType { get; } = contentType;

    /// <summary>Gets a value indicating whether the body is sent chunked in slices, as a stream; otherwise at once with a Content-Length.</summary>
    public bool IsStream { get; } = isStream;

    /// <summary>Gets the number of text, reasoning or argument pieces the body carries (for bytes per chunk).</summary>
    public int Chunks { get; } = chunks;

    public string Text { get; } = text;

    public string Reasoning { get; init; } = string.Empty;

    public string? ToolName { get; init; }

    public string? ToolCallId { get; init; }

    public string? ToolArguments { get; init; }

    public IReadOnlyDictionary<string, string>? ToolArgumentValues { get; init; }

    public IReadOnlyList<float[]>? Vectors { get; init; }
}
