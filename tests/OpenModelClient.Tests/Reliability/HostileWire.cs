using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient.Tests.Reliability;

/// <summary>What each provider's server sends, written by hand so that a test can bend any byte of it, and clients built for it.</summary>
internal static class HostileWire
{
    /// <summary>Every provider of the configuration, each streamed and not.</summary>
    public static TheoryData<string, bool> ProvidersStreamedAndNot()
    {
        var data = new TheoryData<string, bool>();
        foreach (var provider in Providers)
        {
            data.Add(provider, true);
            data.Add(provider, false);
        }

        return data;
    }

    public static TheoryData<string> AllProviders() => [.. Providers];

    public static readonly string[] Providers = ["LlamaCpp", "Ollama", "DeepSeek", "Qwen", "OpenAICompatible"];

    public static bool IsNdjson(string provider) => provider == "Ollama";

    /// <summary>The <c>gen_ai.provider.name</c> each configured provider reports.</summary>
    public static string GenAiName(string provider) => provider switch
    {
        "LlamaCpp" => ProviderNames.LlamaCpp,
        "Ollama" => ProviderNames.Ollama,
        "DeepSeek" => ProviderNames.DeepSeek,
        "Qwen" => ProviderNames.Qwen,
        _ => ProviderNames.OpenAICompatible,
    };

    /// <summary>A configured chat client for <paramref name="provider"/> at <paramref name="server"/>, with every log record going to <paramref name="capture"/>.</summary>
    public static ServiceProvider Client(string provider, Uri server, string apiKey, TelemetryCapture? capture, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = provider,
            ["OpenModel:Endpoint"] = provider is "Qwen" or "OpenAICompatible" ? new Uri(server, "v1").ToString() : server.ToString(),
            ["OpenModel:ApiKey"] = apiKey,
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
            ["OpenModel:CapabilityGuard"] = "false",
            ["OpenModel:Telemetry:Enabled"] = "true",
        };
        if (provider != "LlamaCpp")
        {
            values["OpenModel:Model"] = "m";
        }

        foreach (var (key, value) in extra)
        {
            values["OpenModel:" + key] = value;
        }

        var services = new ServiceCollection();
        if (capture is not null)
        {
            services.AddSingleton<ILoggerFactory>(capture);
        }

        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        return services.BuildServiceProvider();
    }

    /// <summary>Runs one call and returns its text, streamed or not.</summary>
    public static async Task<ChatResponse> CallAsync(IChatClient client, bool streamed, CancellationToken cancellationToken)
    {
        if (!streamed)
        {
            return await client.GetResponseAsync("hi", cancellationToken: cancellationToken);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public static string ContentType(string provider, bool streamed) =>
        !streamed ? "application/json; charset=utf-8" : IsNdjson(provider) ? "application/x-ndjson" : "text/event-stream";

    /// <summary>A whole answer: the stream (pieces, then the end) or the one JSON body.</summary>
    public static string Answer(string provider, bool streamed, string text = "Hello", string created = "1761500000", string usage = """{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}""", string? toolCalls = null)
    {
        if (IsNdjson(provider))
        {
            string counts = Counts(usage);
            string calls = toolCalls is null ? string.Empty : $",\"tool_calls\":{toolCalls}";
            string createdAt = created == "1761500000" ? "2025-10-26T17:15:24.109172Z" : created;
            return streamed
                ? $$"""{"model":"m","created_at":"{{createdAt}}","message":{"role":"assistant","content":"{{text}}"{{calls}}},"done":false}""" + "\n" +
                  $$"""{"model":"m","created_at":"{{createdAt}}","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"{{counts}}}""" + "\n"
                : $$"""{"model":"m","created_at":"{{createdAt}}","message":{"role":"assistant","content":"{{text}}"{{calls}}},"done":true,"done_reason":"stop"{{counts}}}""";
        }

        if (!streamed)
        {
            string calls = toolCalls is null ? string.Empty : $",\"tool_calls\":{toolCalls}";
            return $$"""{"id":"c1","object":"chat.completion","created":{{created}},"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{{text}}"{{calls}}},"finish_reason":"{{(toolCalls is null ? "stop" : "tool_calls")}}"}],"usage":{{usage}}}""";
        }

        string delta = toolCalls is null ? $"\"content\":\"{text}\"" : $"\"tool_calls\":{toolCalls}";
        return Sse($$"""{"id":"c1","object":"chat.completion.chunk","created":{{created}},"model":"m","choices":[{"index":0,"delta":{"role":"assistant",{{delta}}},"finish_reason":null}]}""") +
               Sse($$"""{"id":"c1","object":"chat.completion.chunk","created":{{created}},"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"{{(toolCalls is null ? "stop" : "tool_calls")}}"}],"usage":{{usage}}}""") +
               Sse("[DONE]");
    }

    /// <summary>The first piece of a stream alone (a complete SSE event or NDJSON line), and the rest.</summary>
    public static (string First, string Remainder) Split(string provider, string answer)
    {
        string separator = IsNdjson(provider) ? "\n" : "\n\n";
        int end = answer.IndexOf(separator, StringComparison.Ordinal) + separator.Length;
        return (answer[..end], answer[end..]);
    }

    public static string Sse(string data) => $"data: {data}\n\n";

    /// <summary>A complete response with a <c>Content-Length</c>, then the server closes the connection.</summary>
    public static string Http(int status, string contentType, string body, params string[] headers) =>
        Head(status, contentType, [.. headers, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}"]) + body;

    /// <summary>A status line and headers (with <c>Connection: close</c> unless <paramref name="keepAlive"/>), ending with the blank line.</summary>
    public static string Head(int status, string contentType, string[] headers, bool keepAlive = false)
    {
        var sb = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\n");
        foreach (var header in headers)
        {
            sb.Append(header).Append("\r\n");
        }

        if (!keepAlive)
        {
            sb.Append("Connection: close\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    /// <summary>One piece of a chunked body.</summary>
    public static string Chunk(string data) => $"{Encoding.UTF8.GetByteCount(data).ToString("x", CultureInfo.InvariantCulture)}\r\n{data}\r\n";

    /// <summary>Gzip of a 16 MiB body that is one endless line (for a stream) or all spaces (for a JSON body): a few KiB on the wire.</summary>
    public static byte[] GzipBomb(bool streamed) => streamed ? StreamBomb.Value : BodyBomb.Value;

    private static readonly Lazy<byte[]> StreamBomb = new(() => Gzip("data: {\"x\":\"", (byte)'a'));
    private static readonly Lazy<byte[]> BodyBomb = new(() => Gzip("{", (byte)' '));

    private static byte[] Gzip(string prefix, byte filler)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes(prefix));
            var block = new byte[1024 * 1024];
            Array.Fill(block, filler);
            for (int i = 0; i < 16; i++)
            {
                gzip.Write(block);
            }
        }

        return output.ToArray();
    }

    // Ollama reports counts as prompt_eval_count / eval_count; the OpenAI shape's usage object is mapped onto them.
    private static string Counts(string usage)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(usage)!;
        return $",\"prompt_eval_count\":{node["prompt_tokens"]},\"eval_count\":{node["completion_tokens"]}";
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
