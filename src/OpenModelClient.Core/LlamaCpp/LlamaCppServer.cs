using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>llama.cpp's management endpoints: readiness (<c>/health</c>), <c>/props</c>, <c>/v1/models</c>, <c>/tokenize</c>, <c>/detokenize</c>, <c>/apply-template</c>.</summary>
/// <remarks>Usable on its own, or from a <see cref="LlamaCppChatClient"/> through <see cref="LlamaCppChatClient.Server"/> with the same endpoint and key.</remarks>
public sealed partial class LlamaCppServer : IDisposable
{
    private readonly Uri _root;
    private readonly ModelHttpTransport _transport;
    private readonly TimeProvider _timeProvider;
    private readonly OpenAICompatibleChatEngine? _owner;

    /// <summary>Initializes a new instance of the <see cref="LlamaCppServer"/> class.</summary>
    /// <param name="endpoint">The server root, e.g. <c>http://localhost:8080</c>.</param>
    /// <param name="httpClient">An <see cref="HttpClient"/> to send requests with; it is neither changed nor disposed.</param>
    /// <param name="options">Provider settings (API key, time provider); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public LlamaCppServer(Uri endpoint, HttpClient? httpClient = null, LlamaCppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= new LlamaCppClientOptions();
        _root = EndpointUtilities.ServerRoot(endpoint);
        _transport = new ModelHttpTransport(ProviderNames.LlamaCpp, httpClient, options.ApiKey);
        _transport.Limits = OpenModelResponseLimits.ValidatedCopy(options.ResponseLimits);
        _timeProvider = options.TimeProvider;
    }

    internal LlamaCppServer(Uri root, ModelHttpTransport transport, TimeProvider timeProvider, OpenAICompatibleChatEngine owner)
    {
        _root = root;
        _transport = transport;
        _timeProvider = timeProvider;
        _owner = owner;
    }

    /// <summary>Gets the server root this instance talks to.</summary>
    public Uri Endpoint => _root;

    /// <summary>Asks <c>/health</c> whether the model is loaded. A 503 "Loading model" is an answer (not ready), not an error.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The server's health.</returns>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="OpenModelException">The server answered with an error other than "loading".</exception>
    public async Task<LlamaCppHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var doc = await GetJsonAsync("health", cancellationToken).ConfigureAwait(false);
            return new LlamaCppHealth(true, LlamaCppJson.GetString(doc.RootElement, "status") ?? "ok", null);
        }
        catch (ServerOverloadedException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return new LlamaCppHealth(false, e.ErrorCode, e.ProviderMessage);
        }
    }

    /// <summary>Polls <c>/health</c> until the model is loaded. A server that is still starting (connection refused) or loading is waited for.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="pollInterval">The pause between polls; the default is 250 ms.</param>
    /// <param name="cancellationToken">The token to cancel the wait.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    /// <exception cref="TimeoutException">The server was not ready within <paramref name="timeout"/>; the message says what it last answered.</exception>
    /// <exception cref="OpenModelException">The server answered with an error other than "loading" (e.g. 401).</exception>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        long start = _timeProvider.GetTimestamp();
        string last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var health = await GetHealthAsync(cancellationToken).ConfigureAwait(false);
                if (health.IsReady)
                {
                    return;
                }

                last = health.Message ?? "not ready";
            }
            catch (HttpRequestException e) when (e is not OpenModelException)
            {
                last = e.Message;
                lastError = e;
            }

            if (_timeProvider.GetElapsedTime(start) + interval > timeout)
            {
                throw new TimeoutException($"llama.cpp server at {_root} was not ready within {timeout}; last answer: {last}", lastError);
            }

            await Task.Delay(interval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <c>/props</c>: context size, slots, model, chat template capabilities and modalities.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The server's properties.</returns>
    public async Task<LlamaCppServerProperties> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync("props", cancellationToken).ConfigureAwait(false);
        return new LlamaCppServerProperties(doc.RootElement.Clone());
    }

    /// <summary>Lists the models the server serves (<c>/v1/models</c>): exactly one outside router mode.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The models.</returns>
    public async Task<IReadOnlyList<LlamaCppModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync("v1/models", cancellationToken).ConfigureAwait(false);
        var models = new List<LlamaCppModelInfo>();
        if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                models.Add(new LlamaCppModelInfo(item.Clone()));
            }
        }

        return models;
    }

    /// <summary>Reads <c>/slots</c>: one JSON object per slot (id, busy state, the task it runs); disabled by <c>--no-slots</c>.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The slots, as the server reports them.</returns>
    public async Task<IReadOnlyList<JsonElement>> GetSlotsAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync("slots", cancellationToken).ConfigureAwait(false);
        return doc.RootElement.ValueKind == JsonValueKind.Array ? [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())] : [doc.RootElement.Clone()];
    }

    /// <summary>Reads <c>/metrics</c> in Prometheus text format (the server must run with <c>--metrics</c>, otherwise it answers 501).</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The metrics text.</returns>
    public async Task<string> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, "metrics"));
        var (bytes, response) = await _transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        response.Dispose();
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Tokenizes text with the model's vocabulary (<c>/tokenize</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Whether to add special tokens such as BOS.</param>
    /// <param name="parseSpecial">Whether special-token text (e.g. <c>&lt;tool_call&gt;</c>) becomes its single token.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The token ids.</returns>
    public async Task<IReadOnlyList<int>> TokenizeAsync(string text, bool addSpecial = false, bool parseSpecial = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var doc = await PostJsonAsync("tokenize", TokenizeBody(text, addSpecial, parseSpecial, withPieces: false), cancellationToken).ConfigureAwait(false);
        return [.. Tokens(doc.RootElement).Select(t => t.Id)];
    }

    /// <summary>Tokenizes text and returns each token's text piece (<c>/tokenize</c> with <c>with_pieces</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Whether to add special tokens such as BOS.</param>
    /// <param name="parseSpecial">Whether special-token text becomes its single token.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The tokens with their pieces.</returns>
    public async Task<IReadOnlyList<LlamaCppToken>> TokenizeWithPiecesAsync(string text, bool addSpecial = false, bool parseSpecial = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var doc = await PostJsonAsync("tokenize", TokenizeBody(text, addSpecial, parseSpecial, withPieces: true), cancellationToken).ConfigureAwait(false);
        return [.. Tokens(doc.RootElement)];
    }

    /// <summary>Turns token ids back into text (<c>/detokenize</c>).</summary>
    /// <param name="tokens">The token ids.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The text.</returns>
    public async Task<string> DetokenizeAsync(IEnumerable<int> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var array = new JsonArray();
        foreach (var token in tokens)
        {
            array.Add((JsonNode)token);
        }

        using var doc = await PostJsonAsync("detokenize", new JsonObject { ["tokens"] = array }, cancellationToken).ConfigureAwait(false);
        return LlamaCppJson.GetString(doc.RootElement, "content") ?? string.Empty;
    }

    /// <summary>Completes a raw prompt with llama.cpp's native <c>/completion</c> (no chat template), e.g. for fill-in or base models.</summary>
    /// <param name="prompt">The prompt text, sent as-is.</param>
    /// <param name="options">Sampling and other settings; <see langword="null"/> for the server's.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The completion with its totals.</returns>
    public async Task<LlamaCppCompletion> CompleteAsync(string prompt, LlamaCppCompletionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        using var doc = await PostJsonAsync("completion", CompletionBody(prompt, options, stream: false), cancellationToken).ConfigureAwait(false);
        return new LlamaCppCompletion(doc.RootElement.Clone());
    }

    /// <summary>Streams a raw-prompt completion from <c>/completion</c>: one piece per event, the last with <see cref="LlamaCppCompletion.IsFinal"/> and the totals.</summary>
    /// <param name="prompt">The prompt text, sent as-is.</param>
    /// <param name="options">Sampling and other settings; <see langword="null"/> for the server's.</param>
    /// <param name="cancellationToken">The token to cancel the stream.</param>
    /// <returns>The pieces as they arrive.</returns>
    /// <exception cref="OpenModelProtocolException">The stream broke or ended before its final piece.</exception>
    public async IAsyncEnumerable<LlamaCppCompletion> CompleteStreamingAsync(string prompt, LlamaCppCompletionOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, "completion")) { Content = ModelHttpTransport.CreateJsonContent(CompletionBody(prompt, options, stream: true)) };
        using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var errorField = new SseErrorFieldWatcher();
        var stream = new BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _transport.Limits.MaxStreamBytes, _transport.Limits.MaxLineBytes, errorField);
        await using var streamScope = stream.ConfigureAwait(false);
        var events = System.Net.ServerSentEvents.SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var eventsScope = events.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException && e is not OpenModelException && !cancellationToken.IsCancellationRequested)
            {
                throw new OpenModelProtocolException(ProviderNames.LlamaCpp, response.StatusCode, $"the completion stream broke ({e.Message})", isTruncated: e is not InvalidDataException, innerException: e);
            }

            var data = events.Current.Data;
            if (data.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var doc = JsonDocument.Parse(data);
                element = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new OpenModelProtocolException(ProviderNames.LlamaCpp, response.StatusCode, "a completion event is not valid JSON", ReceivedText.Prefix(data), innerException: e);
            }

            if (element.TryGetProperty("error", out var error))
            {
                throw ProviderErrorMapper.FromStreamPayload(ProviderNames.LlamaCpp, error, null);
            }

            var piece = new LlamaCppCompletion(element);
            yield return piece;
            if (piece.IsFinal)
            {
                yield break;
            }
        }

        // The native stream has no [DONE]: its end is the piece with "stop": true. Old builds sent a failure as an "error:" line.
        throw errorField.ToException(ProviderNames.LlamaCpp, response.StatusCode, null) ?? new OpenModelProtocolException(ProviderNames.LlamaCpp, response.StatusCode, "the completion stream ended before its final piece", isTruncated: true);
    }

    /// <summary>Embeds text with the native <c>/embedding</c>: one vector per token when the server pools with <c>none</c>, else one pooled vector.</summary>
    /// <param name="content">The text.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The vectors, in token order.</returns>
    public async Task<IReadOnlyList<float[]>> EmbedTokensAsync(string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var doc = await PostJsonAsync("embedding", new JsonObject { ["content"] = content }, cancellationToken).ConfigureAwait(false);
        var vectors = new List<float[]>();
        foreach (var item in doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray() : default)
        {
            if (!item.TryGetProperty("embedding", out var embedding) || embedding.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var vector in embedding.EnumerateArray())
            {
                vectors.Add(vector.ValueKind == JsonValueKind.Array ? [.. vector.EnumerateArray().Select(v => WireNumbers.Single(v, ProviderNames.LlamaCpp, "an embedding value"))] : [.. embedding.EnumerateArray().Select(v => WireNumbers.Single(v, ProviderNames.LlamaCpp, "an embedding value"))]);
                if (vector.ValueKind != JsonValueKind.Array)
                {
                    break;
                }
            }
        }

        return vectors;
    }

    private static JsonObject CompletionBody(string prompt, LlamaCppCompletionOptions? options, bool stream)
    {
        var body = new JsonObject { ["prompt"] = prompt };
        if (options?.MaxTokens is { } maxTokens)
        {
            body["n_predict"] = maxTokens;
        }

        if (options?.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        if (options?.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (options?.TopK is { } topK)
        {
            body["top_k"] = topK;
        }

        if (options?.TopP is { } topP)
        {
            body["top_p"] = topP;
        }

        if (options?.Stop is { Count: > 0 } stops)
        {
            body["stop"] = new JsonArray([.. stops.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        if (options?.ProbabilityCount is { } probabilities)
        {
            body["n_probs"] = probabilities;
        }

        if (options?.Grammar is { } grammar)
        {
            body["grammar"] = grammar;
        }

        if (stream)
        {
            body["stream"] = true;
        }

        if (options?.AdditionalProperties is { } extra)
        {
            foreach (var (key, value) in extra)
            {
                WireJson.Merge(body, key, value?.DeepClone());
            }
        }

        return body;
    }

    /// <summary>Renders messages with the server's chat template, without generating (<c>/apply-template</c>).</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The prompt text the model would see.</returns>
    public async Task<string> ApplyTemplateAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = new JsonObject { ["messages"] = OpenAICompatibleRequestBuilder.MapMessages(messages, null, ProviderNames.LlamaCpp, ReasoningHistory.Echo, "reasoning_content", backfill: false) };
        using var doc = await PostJsonAsync("apply-template", body, cancellationToken).ConfigureAwait(false);
        return LlamaCppJson.GetString(doc.RootElement, "prompt") ?? string.Empty;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A server obtained from a client shares that client's connection; the client disposes it.
        if (_owner is null)
        {
            _transport.Dispose();
        }
    }

    private static JsonObject TokenizeBody(string text, bool addSpecial, bool parseSpecial, bool withPieces) => new()
    {
        ["content"] = text,
        ["add_special"] = addSpecial,
        ["parse_special"] = parseSpecial,
        ["with_pieces"] = withPieces,
    };

    private static IEnumerable<LlamaCppToken> Tokens(JsonElement root)
    {
        if (!root.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var token in tokens.EnumerateArray())
        {
            if (token.ValueKind == JsonValueKind.Number)
            {
                yield return new LlamaCppToken(WireNumbers.Int32(token, ProviderNames.LlamaCpp, "a token id"), string.Empty);
            }
            else if (token.ValueKind == JsonValueKind.Object)
            {
                int id = token.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.Number ? WireNumbers.Int32(idValue, ProviderNames.LlamaCpp, "a token id") : 0;
                string piece = token.TryGetProperty("piece", out var p) ? p.ValueKind switch
                {
                    JsonValueKind.String => p.GetString() ?? string.Empty,
                    // llama.cpp sends a byte array when a piece is not valid UTF-8 on its own.
                    JsonValueKind.Array => Encoding.UTF8.GetString([.. p.EnumerateArray().Select(b => WireNumbers.Byte(b, ProviderNames.LlamaCpp, "a byte of a token's piece"))]),
                    _ => string.Empty,
                } : string.Empty;
                yield return new LlamaCppToken(id, piece);
            }
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, path));
        return await ReadJsonAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonDocument> PostJsonAsync(string path, JsonNode body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, path)) { Content = ModelHttpTransport.CreateJsonContent(body) };
        return await ReadJsonAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonDocument> ReadJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (bytes, response) = await _transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            try
            {
                return JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                throw new OpenModelProtocolException(ProviderNames.LlamaCpp, response.StatusCode, $"{request.RequestUri?.AbsolutePath} did not answer JSON", ReceivedText.Prefix(bytes), innerException: e);
            }
        }
    }
}
