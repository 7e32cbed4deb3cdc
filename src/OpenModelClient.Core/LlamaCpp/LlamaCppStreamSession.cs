using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>One llama.cpp stream kept for replay under its conversation id.</summary>
internal sealed class LlamaCppStreamSession(Uri root, ModelHttpTransport transport, string conversationId) : ResumableChatStream
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(5);

    public string ConversationId { get; } = conversationId;

    public override HttpRequestMessage CreateReplayRequest() => CreateStreamRequest(HttpMethod.Get, 0);

    public override Stream Wrap(Stream body, HttpRequestMessage original) => new ResumingReadStream(body, this, original);

    public override ResponseContinuationToken TokenAfter(int updatesDelivered) => LlamaCppStreamResumption.CreateToken(ConversationId, updatesDelivered);

    public override async Task CancelAsync()
    {
        // The caller has gone (cancelled, or stopped reading): the server would otherwise generate to the end for nobody.
        using var timeout = new CancellationTokenSource(CancelTimeout);
        try
        {
            using var request = CreateStreamRequest(HttpMethod.Delete, null);
            request.Headers.ConnectionClose = true; // a one-off request: no idle connection is left behind for it
            using var response = await transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // Best effort: an unreachable server is not generating for us either, and an expired session is already gone.
        }
    }

    /// <summary>Opens the stream again at <paramref name="offset"/>, the first byte not yet read.</summary>
    /// <exception cref="OpenModelException">The server has no such session (404) or no longer keeps that offset (400).</exception>
    public async Task<(HttpResponseMessage Response, Stream Body)> ReopenAsync(long offset, HttpRequestMessage original, CancellationToken cancellationToken)
    {
        var request = CreateStreamRequest(HttpMethod.Get, offset);
        foreach (var option in original.Options)
        {
            // Carries the call's own settings over, such as the deadline the hosted timeout handler keeps for the whole call.
            ((IDictionary<string, object?>)request.Options)[option.Key] = option.Value;
        }

        HttpResponseMessage? response = null;
        try
        {
            response = await transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (response, body);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
        finally
        {
            request.Dispose();
        }
    }

    private HttpRequestMessage CreateStreamRequest(HttpMethod method, long? from)
    {
        string query = "v1/stream?conv_id=" + Uri.EscapeDataString(ConversationId) + (from is { } offset ? "&from=" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        var request = new HttpRequestMessage(method, new Uri(root, query));
        if (method == HttpMethod.Get)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }
}
