using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Sends a model request (<c>/api/chat</c>, <c>/api/embed</c>) with the two recoveries that happen before any output: pull-if-missing and the think-level fallback.</summary>
internal sealed class OllamaRequestSender(OllamaServer server, bool pullIfMissing, IProgress<OllamaPullProgress>? pullProgress, ILogger logger)
{
    public OllamaServer Server { get; } = server;

    /// <summary>Sends <paramref name="body"/> and returns the successful response, and the think level that was replaced by <c>true</c>, if any.</summary>
    /// <remarks>
    /// A 404 pulls the model once when pull-if-missing is on, then sends again; otherwise it throws <see cref="ModelNotFoundException"/>
    /// with the pull hint. A 400 to a request carrying a think <em>level</em> is sent again once with <c>think: true</c>: no status-text
    /// matching, so a 400 with another cause costs one extra round trip and then surfaces as the server's own error.
    /// </remarks>
    public async Task<(HttpResponseMessage Response, string? RejectedThinkLevel)> SendAsync(string path, JsonObject body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        string model = body["model"]?.GetValue<string>() ?? string.Empty;
        var uri = new Uri(Server.Endpoint, path);
        bool pulled = false;
        string? rejectedLevel = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = ModelHttpTransport.CreateJsonContent(body) };
            try
            {
                var response = await Server.Transport.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
                return (response, rejectedLevel);
            }
            catch (ModelNotFoundException) when (pullIfMissing && !pulled && model.Length > 0)
            {
                OllamaLog.PullingMissingModel(logger, model);
                await Server.PullModelAsync(model, pullProgress, cancellationToken).ConfigureAwait(false);
                pulled = true;
            }
            catch (ModelNotFoundException e) when (model.Length > 0)
            {
                throw OllamaServer.WithPullHint(e, model, pullIfMissingKnob: true);
            }
            catch (InvalidRequestException) when (rejectedLevel is null && ThinkLevel(body) is { } level)
            {
                OllamaLog.ThinkLevelRejected(logger, model, level);
                rejectedLevel = level;
                body["think"] = true;
            }
        }
    }

    private static string? ThinkLevel(JsonObject body) =>
        body["think"] is JsonValue value && value.TryGetValue(out string? level) ? level : null;
}
