using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace OpenModelClient;

/// <summary>Ollama's model management: local and loaded models, model details and capabilities, version, liveness, and pulling with progress.</summary>
/// <remarks>
/// Usable on its own, or from an <see cref="OllamaChatClient"/> or <see cref="OllamaEmbeddingGenerator"/> (their <c>Server</c> property and
/// <c>GetService(typeof(OllamaServer))</c>) with the same endpoint, key and connection. Instances are thread-safe.
/// </remarks>
public sealed partial class OllamaServer : IDisposable
{
    private readonly bool _ownsTransport;

    /// <summary>Initializes a new instance of the <see cref="OllamaServer"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:11434</c>; a trailing <c>/api</c> or <c>/v1</c> is accepted.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed. When <see langword="null"/>, the instance creates and owns one.</param>
    /// <param name="apiKey">The key for hosted Ollama (<c>https://ollama.com</c>), sent as <c>Authorization: Bearer</c>; <see langword="null"/> for a local server.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not an absolute http(s) URL.</exception>
    public OllamaServer(Uri endpoint, HttpClient? httpClient = null, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = NormalizeEndpoint(endpoint);
        Transport = new ModelHttpTransport(ProviderNames.Ollama, httpClient, apiKey);
        _ownsTransport = true;
    }

    /// <summary>Shares the transport of a chat client or embedding generator, which disposes it.</summary>
    internal OllamaServer(Uri root, ModelHttpTransport transport)
    {
        Endpoint = root;
        Transport = transport;
    }

    /// <summary>Gets the server root this instance talks to.</summary>
    public Uri Endpoint { get; }

    internal ModelHttpTransport Transport { get; }

    /// <summary>Asks <c>GET /</c> whether the server is up. A server that cannot be reached is an answer (<see langword="false"/>), not an error.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when the server answered 200 (<c>Ollama is running</c>).</returns>
    /// <exception cref="OpenModelException">The server answered with an error status.</exception>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint);
        try
        {
            using var response = await Transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException e) when (e is not OpenModelException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    /// <summary>Reads the server version (<c>/api/version</c>).</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The version, e.g. <c>0.12.3</c>.</returns>
    /// <exception cref="HttpRequestException">The server could not be reached, or answered with an error (<see cref="OpenModelException"/>).</exception>
    public async Task<string> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var version = await GetJsonAsync("api/version", OllamaJsonContext.Default.OllamaVersionResponse, cancellationToken).ConfigureAwait(false);
        return version.Version ?? string.Empty;
    }

    /// <summary>Lists the models the server has locally (<c>/api/tags</c>).</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The local models.</returns>
    /// <exception cref="HttpRequestException">The server could not be reached, or answered with an error (<see cref="OpenModelException"/>).</exception>
    public async Task<IReadOnlyList<OllamaModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await GetJsonAsync("api/tags", OllamaJsonContext.Default.OllamaModelsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (models.Models ?? []).Select(m => new OllamaModel(m))];
    }

    /// <summary>Lists the models loaded in memory now (<c>/api/ps</c>), with their memory use, context length and unload time.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The loaded models.</returns>
    /// <exception cref="HttpRequestException">The server could not be reached, or answered with an error (<see cref="OpenModelException"/>).</exception>
    public async Task<IReadOnlyList<OllamaRunningModel>> ListRunningModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await GetJsonAsync("api/ps", OllamaJsonContext.Default.OllamaModelsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (models.Models ?? []).Select(m => new OllamaRunningModel(m))];
    }

    /// <summary>Reads a model's details (<c>/api/show</c>): capabilities (tools, vision, thinking, embedding), trained context length, template and parameters.</summary>
    /// <param name="model">The model name, e.g. <c>qwen3:4b</c>.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The model's details.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or white space.</exception>
    /// <exception cref="ModelNotFoundException">The server does not have the model; the message says how to pull it.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached, or answered with another error (<see cref="OpenModelException"/>).</exception>
    public async Task<OllamaModelInfo> ShowModelAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, "api/show"))
        {
            Content = ModelHttpTransport.CreateJsonContent(new JsonObject { ["model"] = model }),
        };
        try
        {
            var show = await ReadJsonAsync(request, OllamaJsonContext.Default.OllamaShowResponse, cancellationToken).ConfigureAwait(false);
            return new OllamaModelInfo(model, show);
        }
        catch (ModelNotFoundException e)
        {
            throw WithPullHint(e, model, pullIfMissingKnob: false);
        }
    }

    /// <summary>Pulls (downloads) a model (<c>/api/pull</c>), yielding each progress record as the server streams it.</summary>
    /// <param name="model">The model name, e.g. <c>llama3.2</c> or <c>qwen3:4b</c>.</param>
    /// <param name="cancellationToken">The token to cancel the pull; Ollama resumes an interrupted pull next time.</param>
    /// <returns>The progress records; the last one has <see cref="OllamaPullProgress.IsSuccess"/> set.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or white space.</exception>
    /// <exception cref="OpenModelException">The server reported an error, as a status or as an <c>{"error":…}</c> line.</exception>
    /// <exception cref="OpenModelProtocolException">The stream ended before the <c>success</c> record.</exception>
    public async IAsyncEnumerable<OllamaPullProgress> PullModelStreamingAsync(string model, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, "api/pull"))
        {
            Content = ModelHttpTransport.CreateJsonContent(new JsonObject { ["model"] = model, ["stream"] = true }),
        };
        using var response = await Transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Transport.Limits.MaxStreamBytes, Transport.Limits.MaxLineBytes);
        await using var streamScope = stream.ConfigureAwait(false);
        using var reader = new JsonLinesReader(stream, Transport.Limits.MaxLineBytes);
        string? requestId = ProviderErrorMapper.GetRequestId(response.Headers);

        while (await OllamaWire.ReadAsync(reader, OllamaJsonContext.Default.OllamaProgressResponse, response.StatusCode, requestId, cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Error is { } error)
            {
                throw ProviderErrorMapper.FromStreamPayload(ProviderNames.Ollama, error, requestId);
            }

            if (line.Status is null)
            {
                continue;
            }

            var progress = new OllamaPullProgress(line.Status, line.Digest, line.Total, line.Completed);
            yield return progress;
            if (progress.IsSuccess)
            {
                yield break;
            }
        }

        throw new OpenModelProtocolException(ProviderNames.Ollama, response.StatusCode, $"the pull of '{model}' ended before 'success'", isTruncated: true, requestId: requestId);
    }

    /// <summary>Pulls (downloads) a model (<c>/api/pull</c>) and completes when it is ready, reporting progress as it goes.</summary>
    /// <param name="model">The model name, e.g. <c>llama3.2</c> or <c>qwen3:4b</c>.</param>
    /// <param name="progress">Where to report each progress record; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to cancel the pull.</param>
    /// <returns>A task that completes when the server reports <c>success</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="model"/> is null or white space.</exception>
    /// <exception cref="OpenModelException">The server reported an error.</exception>
    /// <exception cref="OpenModelProtocolException">The stream ended before the <c>success</c> record.</exception>
    public async Task PullModelAsync(string model, IProgress<OllamaPullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await foreach (var record in PullModelStreamingAsync(model, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(record);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // An instance obtained from a client shares that client's connection; the client disposes it.
        if (_ownsTransport)
        {
            Transport.Dispose();
        }
    }

    /// <summary>The server root: accepts the documented root, and a trailing <c>/api</c> (some documentation gives that as the base) or <c>/v1</c>.</summary>
    internal static Uri NormalizeEndpoint(Uri endpoint)
    {
        var root = EndpointUtilities.ServerRoot(endpoint);
        var path = root.AbsolutePath;
        return path.EndsWith("/api/", StringComparison.OrdinalIgnoreCase) ? new UriBuilder(root) { Path = path[..^4] }.Uri : root;
    }

    /// <summary>Adds how to get the model to a 404, keeping status, code and request id.</summary>
    internal static ModelNotFoundException WithPullHint(ModelNotFoundException e, string model, bool pullIfMissingKnob)
    {
        string hint = pullIfMissingKnob
            ? $"run `ollama pull {model}` or enable PullIfMissing on the client options"
            : $"run `ollama pull {model}` or call OllamaServer.PullModelAsync";
        string message = string.IsNullOrWhiteSpace(e.ProviderMessage) ? $"model '{model}' not found; {hint}" : $"{e.ProviderMessage}; {hint}";
        return new ModelNotFoundException(e.Provider, e.StatusCode, message, e.ErrorCode, e.RequestId, e);
    }

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, path));
        return await ReadJsonAsync(request, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadJsonAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var (bytes, response) = await Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return OllamaWire.ParseBody(bytes, typeInfo, response.StatusCode, response.Headers, $"{request.RequestUri?.AbsolutePath}");
        }
    }
}
