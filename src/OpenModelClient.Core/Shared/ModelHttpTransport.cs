using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>The one HTTP edge every adapter uses: per-request auth, explicit <see cref="HttpClient"/> ownership, and error mapping.</summary>
/// <remarks>
/// A caller-supplied <see cref="HttpClient"/> is never mutated or disposed. An owned one has no overall timeout, because a
/// streamed generation on a slow local model can legitimately run for many minutes; time limits belong to the resilience pipeline.
/// </remarks>
internal sealed class ModelHttpTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly bool _ownsClient;
    private readonly string? _apiKey;
    private readonly string? _authenticationHint;

    public ModelHttpTransport(string provider, HttpClient? httpClient, string? apiKey, string? authenticationHint = null)
    {
        Limits = new OpenModelResponseLimits();
        Provider = provider;
        _authenticationHint = authenticationHint;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        if (_apiKey is not null && _apiKey.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            // Caught here rather than as a FormatException on every call; the key itself is never quoted.
            throw new ArgumentException("The API key contains a line break, which cannot be sent in an HTTP header; remove it (a key copied with its trailing newline is the usual cause).", nameof(apiKey));
        }

        SecretRedactor.Register(_apiKey);
        if (httpClient is null)
        {
            _ownsClient = true;
#pragma warning disable CA2000 // the handler is owned by the HttpClient, disposed with it
            httpClient = new HttpClient(new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),

                // An LLM API has no business redirecting; following one could carry the key to another host.
                AllowAutoRedirect = false,

                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,

                // An abandoned response (a cancelled stream) closes its connection at once instead of being read on to reuse
                // the connection: the server sees the disconnect and stops generating (llama-server frees the slot).
                MaxResponseDrainSize = 0,
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
#pragma warning restore CA2000
        }

        Client = httpClient;
    }

    public string Provider { get; }

    public HttpClient Client { get; }

    public static ByteArrayContent CreateJsonContent(JsonNode body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>Sends the request and returns a successful response; any other status becomes a typed <see cref="OpenModelException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (ProbeRequest.IsActive)
        {
            request.Options.Set(ProbeRequest.Key, true);
        }

        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await Client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e is not OpenModelException && e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded)
        {
            // A status line or header the HTTP stack refused (malformed, or longer than its limits) is the server breaking the protocol.
            throw new OpenModelProtocolException(Provider, null, $"the response headers could not be read ({e.Message})", innerException: e);
        }
        catch (HttpRequestException e) when (e is not OpenModelException && SecretRedactor.Sanitize(e) is HttpRequestException sanitized && !ReferenceEquals(sanitized, e))
        {
            // The HTTP stack quotes what it received; a server echoing a credential must not get it into the caller's logs.
            throw sanitized;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new InvalidRequestException(Provider, response.StatusCode, $"the server redirected to '{response.Headers.Location}'. Redirects are not followed, so the API key never leaves the configured host: set the endpoint to the final address", "redirect_not_followed", ProviderErrorMapper.GetRequestId(response.Headers));
            }

            throw await ProviderErrorMapper.FromResponseAsync(Provider, response, cancellationToken, _authenticationHint).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a request whose whole body is read, and returns that body.</summary>
    public async Task<(byte[] Body, HttpResponseMessage Response)> SendForBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads a whole response body, no larger than <see cref="OpenModelResponseLimits.MaxBodyBytes"/>.</summary>
    /// <exception cref="OpenModelProtocolException">The body was cut short (reset, truncated gzip, idle timeout) or is too large.</exception>
    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Limits.MaxBodyBytes, int.MaxValue);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException && e is not OpenModelException && !cancellationToken.IsCancellationRequested)
        {
            // A body cut short or too large is the server's protocol failure, not a caller error.
            throw new OpenModelProtocolException(Provider, response.StatusCode, $"the response body could not be read ({e.Message})", isTruncated: e is not InvalidDataException, requestId: ProviderErrorMapper.GetRequestId(response.Headers), innerException: e);
        }
    }

    /// <summary>Gets or sets the bounds on what the server may send (the client's options, validated when it is built).</summary>
    public OpenModelResponseLimits Limits { get; set; }

    public void Dispose()
    {
        if (_ownsClient)
        {
            Client.Dispose();
        }
    }
}
