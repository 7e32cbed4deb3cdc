using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>llama.cpp's <c>POST /v1/chat/completions/control {"id","action":"reasoning_end","model"}</c>, answered with <c>{"success":true}</c> or
/// <c>{"success":false,"message":"no active completion for this id"}</c>.</summary>
internal sealed class LlamaCppReasoningControl(Uri root, ModelHttpTransport transport, string? defaultModelId) : IReasoningControl
{
    public async Task<bool> EndReasoningAsync(string responseId, string? modelId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(responseId);
        var body = new JsonObject { ["id"] = responseId, ["action"] = "reasoning_end" };
        if ((modelId ?? defaultModelId) is { } model)
        {
            body["model"] = model;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, "v1/chat/completions/control")) { Content = ModelHttpTransport.CreateJsonContent(body) };
        var (bytes, response) = await transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True;
            }
            catch (JsonException e)
            {
                throw new OpenModelProtocolException(ProviderNames.LlamaCpp, response.StatusCode, "/v1/chat/completions/control did not answer JSON", ReceivedText.Prefix(bytes), innerException: e);
            }
        }
    }
}
