using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The floor's parser behind the thinnest possible <see cref="IChatClient"/>: a fixed request, one <see cref="ChatResponseUpdate"/>
/// with one <see cref="TextContent"/> per chunk, nothing else. Its distance from the floor is the price of the abstraction itself.
/// Speaks OpenAI-style SSE, or Ollama's NDJSON with <paramref name="ndjson"/>.
/// </summary>
internal sealed class FloorChatClient(HttpClient http, Uri endpoint, bool ndjson = false) : IChatClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes($"{{\"model\":\"{BenchmarkPayloads.Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Write a long story.\"}}],\"stream\":true}}");
    private readonly Uri _chat = new(endpoint, ndjson ? "api/chat" : "v1/chat/completions");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _chat) { Content = content };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        using var lines = new FloorLineReader(stream);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            bool done = false;
            var text = ndjson ? FloorClient.Content(lines.Line) : FloorClient.SseContent(lines.Line, out done);
            if (done)
            {
                break;
            }

            if (!string.IsNullOrEmpty(text))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, text);
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
