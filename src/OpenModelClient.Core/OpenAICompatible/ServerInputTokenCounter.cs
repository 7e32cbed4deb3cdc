using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Counts input tokens with the server's own endpoint, from the very body the engine would send.</summary>
/// <remarks>
/// Two forms exist. llama.cpp's <c>POST /v1/chat/completions/input_tokens</c> takes a whole chat body and answers
/// <c>{"input_tokens": N}</c>. vLLM's chat form of <c>POST /tokenize</c> takes <c>model</c>, <c>messages</c>, <c>tools</c> and the
/// template settings and answers <c>{"count": N, "max_model_len": M, "tokens": […]}</c>
/// (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html#tokenizer-api). A server without the endpoint (404, 501)
/// gives an unavailable count, never an estimate.
/// </remarks>
internal sealed class ServerInputTokenCounter(OpenAICompatibleChatEngine engine, IChatClient owner, Uri endpoint, ServerInputTokenCounter.Form form) : IInputTokenCounter
{
    /// <summary>The request and answer shape of a server's counting endpoint.</summary>
    public enum Form
    {
        /// <summary><c>/v1/chat/completions/input_tokens</c> (llama.cpp).</summary>
        InputTokensEndpoint,

        /// <summary>vLLM <c>/tokenize</c> with <c>messages</c>.</summary>
        VllmTokenize,
    }

    private string Source => form == Form.VllmTokenize ? "vllm /tokenize" : "llama.cpp /v1/chat/completions/input_tokens";

    public async Task<InputTokenCount> CountInputTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = engine.BuildNonStreamingBody(messages, options, owner);
        if (form == Form.VllmTokenize)
        {
            var chat = new JsonObject();
            foreach (var key in (ReadOnlySpan<string>)["model", "messages", "tools", "chat_template_kwargs", "add_generation_prompt", "continue_final_message"])
            {
                if (body[key] is { } value)
                {
                    chat[key] = value.DeepClone();
                }
            }

            body = chat;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = ModelHttpTransport.CreateJsonContent(body) };
        byte[] bytes;
        HttpStatusCode status;
        try
        {
            var (read, response) = await engine.Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                (bytes, status) = (read, response.StatusCode);
            }
        }
        catch (OpenModelException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            return InputTokenCount.Unavailable(Source, $"the server has no token-counting endpoint (HTTP {(int)e.StatusCode})");
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            string countField = form == Form.VllmTokenize ? "count" : "input_tokens";
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(countField, out var count) && count.TryGetInt64(out long tokens) && tokens >= 0)
            {
                long? context = root.TryGetProperty("max_model_len", out var max) && max.TryGetInt64(out long length) ? length : null;
                return InputTokenCount.Exact(tokens, Source, context);
            }
        }
        catch (JsonException e)
        {
            throw new OpenModelProtocolException(engine.ProviderName, status, $"{endpoint.AbsolutePath} did not answer JSON", ReceivedText.Prefix(bytes), innerException: e);
        }

        throw new OpenModelProtocolException(engine.ProviderName, status, $"{endpoint.AbsolutePath} answered without a token count", ReceivedText.Prefix(bytes));
    }
}
