using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The floor: raw <see cref="HttpClient"/> plus <see cref="Utf8JsonReader"/>, extracting only the text (or the tool-call
/// arguments, or the vectors) and nothing else: no ids, no usage, no finish reason, no update objects. What any client must at least do.
/// </summary>
internal sealed class FloorClient(HttpClient http, Uri server)
{
    // Initialised first: the request bodies below use it.
    private static readonly string[] Inputs = [.. Enumerable.Range(0, BenchmarkPayloads.EmbeddingInputs).Select(i => $"Sentence number {i} to embed.")];
    private const string Prompt = "Write a long story.";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] ChatStream = Utf8($"{{\"model\":\"{BenchmarkPayloads.Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{Prompt}\"}}],\"stream\":true}}");
    private static readonly byte[] ChatOnce = Utf8($"{{\"model\":\"{BenchmarkPayloads.Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{Prompt}\"}}],\"stream\":false}}");
    private static readonly byte[] EmbedBody = Utf8($"{{\"model\":\"{BenchmarkPayloads.Model}\",\"input\":[{string.Join(',', Inputs.Select(i => $"\"{i}\""))}]}}");

    public static IReadOnlyList<string> EmbeddingInputs => Inputs;

    /// <summary>Streams an OpenAI-style SSE body; with <paramref name="firstOnly"/>, stops at the first piece of text.</summary>
    public async Task<int> StreamSseAsync(string scenario, Received? received, bool firstOnly = false)
    {
        using var request = Post(scenario, "v1/chat/completions", ChatStream);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var lines = new FloorLineReader(stream);
            int seen = 0;
            while (await lines.ReadLineAsync().ConfigureAwait(false))
            {
                int n = SseLine(lines.Line, received);
                if (n < 0)
                {
                    break;
                }

                seen += n;
                if (firstOnly && n > 0)
                {
                    break;
                }
            }

            return seen;
        }
    }

    /// <summary>Streams an Ollama NDJSON body; with <paramref name="firstOnly"/>, stops at the first piece of text.</summary>
    public async Task<int> StreamNdjsonAsync(string scenario, Received? received, bool firstOnly = false)
    {
        using var request = Post(scenario, "api/chat", ChatStream);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var lines = new FloorLineReader(stream);
            int seen = 0;
            while (await lines.ReadLineAsync().ConfigureAwait(false))
            {
                int n = Extract(lines.Line, received);
                seen += n;
                if (firstOnly && n > 0)
                {
                    break;
                }
            }

            return seen;
        }
    }

    /// <summary>Streams SSE (or, with <paramref name="ndjson"/>, Ollama NDJSON) and hands each chunk's text to <paramref name="onText"/>:
    /// the floor for the paced, stamped streams, whose every text piece is read (for its send time).</summary>
    public async Task<int> StreamTextAsync(string scenario, bool ndjson, Action<string> onText)
    {
        using var request = Post(scenario, ndjson ? "api/chat" : "v1/chat/completions", ChatStream);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var lines = new FloorLineReader(stream);
            int seen = 0;
            while (await lines.ReadLineAsync().ConfigureAwait(false))
            {
                bool done = false;
                var text = ndjson ? Content(lines.Line) : SseContent(lines.Line, out done);
                if (done)
                {
                    break;
                }

                if (!string.IsNullOrEmpty(text))
                {
                    onText(text);
                    seen++;
                }
            }

            return seen;
        }
    }

    /// <summary>One non-streamed chat round trip (OpenAI-style or Ollama, by <paramref name="path"/>).</summary>
    public async Task<int> ChatAsync(string scenario, string path, Received? received)
    {
        using var request = Post(scenario, path, ChatOnce);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return Extract(body, received);
    }

    /// <summary>One embeddings batch (OpenAI-style <c>data[].embedding</c> or Ollama <c>embeddings[]</c>, by <paramref name="path"/>).</summary>
    public async Task<IList<float[]>> EmbedAsync(string scenario, string path)
    {
        using var request = Post(scenario, path, EmbedBody);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return Vectors(body);
    }

    /// <summary>Handles one SSE line: the number of characters of text it carried, or -1 for <c>[DONE]</c>.</summary>
    public static int SseLine(ReadOnlySpan<byte> line, Received? received)
    {
        if (!line.StartsWith("data: "u8))
        {
            return 0;
        }

        var data = line[6..];
        return data.SequenceEqual("[DONE]"u8) ? -1 : Extract(data, received);
    }

    /// <summary>Returns the <c>content</c> of one SSE line (for the floor behind <see cref="Microsoft.Extensions.AI.IChatClient"/>).</summary>
    public static string? SseContent(ReadOnlySpan<byte> line, out bool done)
    {
        done = false;
        if (!line.StartsWith("data: "u8))
        {
            return null;
        }

        var data = line[6..];
        if (data.SequenceEqual("[DONE]"u8))
        {
            done = true;
            return null;
        }

        return Content(data);
    }

    /// <summary>Returns the <c>content</c> of one JSON object (an SSE event's data or an NDJSON line).</summary>
    public static string? Content(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? content = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("content"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                content = reader.GetString();
            }
        }

        return content;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One pass over a JSON object: the strings of <c>content</c>, <c>reasoning_content</c> and tool-call <c>arguments</c>.</summary>
    private static int Extract(ReadOnlySpan<byte> json, Received? received)
    {
        var reader = new Utf8JsonReader(json);
        int seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            StringBuilder? target;
            if (reader.ValueTextEquals("content"u8))
            {
                target = received?.Text;
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                target = received?.Reasoning;
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                target = received?.RawArguments;
            }
            else
            {
                continue;
            }

            if (reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString()!;
                seen += text.Length;
                target?.Append(text);
            }
        }

        return seen;
    }

    private static List<float[]> Vectors(ReadOnlySpan<byte> json)
    {
        var vectors = new List<float[]>(BenchmarkPayloads.EmbeddingInputs);
        Span<float> scratch = new float[4096];
        var reader = new Utf8JsonReader(json);
        int depth = -1; // array depth at which numbers are vector components
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                depth = reader.ValueTextEquals("embedding"u8) ? reader.CurrentDepth : reader.ValueTextEquals("embeddings"u8) ? reader.CurrentDepth + 1 : -1;
                continue;
            }

            if (depth >= 0 && reader.TokenType == JsonTokenType.StartArray && reader.CurrentDepth == depth)
            {
                int n = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    scratch[n++] = reader.GetSingle();
                }

                vectors.Add(scratch[..n].ToArray());
            }
        }

        return vectors;
    }

    private HttpRequestMessage Post(string scenario, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, new Uri(server, $"{scenario}/{path}")) { Content = content };
    }
}
