using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>The one implementation of <c>/chat/completions</c> and <c>/embeddings</c>; each provider is a <see cref="OpenAICompatibleDialect"/> on it.</summary>
internal sealed partial class OpenAICompatibleChatEngine : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private Uri _chatUri;
    private readonly Uri _embeddingsUri;
    private readonly OpenAICompatibleDialect _dialect;
    private readonly string? _defaultModelId;
    private readonly bool _splitThinkTags;
    private readonly ILogger _logger;

    public OpenAICompatibleChatEngine(OpenAICompatibleDialect dialect, Uri apiBase, string? defaultModelId, string? apiKey, HttpClient? httpClient, bool splitThinkTags, ILogger? logger = null)
    {
        _dialect = dialect;
        ApiBase = EndpointUtilities.WithTrailingSlash(apiBase);
        _chatUri = new Uri(ApiBase, "chat/completions");
        _embeddingsUri = new Uri(ApiBase, "embeddings");
        _defaultModelId = defaultModelId;
        _splitThinkTags = splitThinkTags;
        _logger = logger ?? NullLogger.Instance;
        Transport = new ModelHttpTransport(dialect.ProviderName, httpClient, apiKey, dialect.AuthenticationHint);
    }

    public Uri ApiBase { get; }

    public string? DefaultModelId => _defaultModelId;

    public string ProviderName => _dialect.ProviderName;

    public ModelHttpTransport Transport { get; }

    /// <summary>Sets a query string for every chat request (llama.cpp router mode's <c>?autoload=false</c>).</summary>
    public string ChatQuery
    {
        init => _chatUri = new Uri(ApiBase, "chat/completions" + value);
    }

    /// <summary>Gets or sets the hook that makes streams resumable on servers that can replay them; <see langword="null"/> for none.</summary>
    public ChatStreamResumption? StreamResumption { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = OpenAICompatibleRequestBuilder.BuildRequest(messages, options, _defaultModelId, _dialect, stream: false, owner, _logger);
        if (request.StreamedForThinking)
        {
            // The server refuses to think on a non-streamed request: the body was built as a stream, which is aggregated here.
            string model = (string?)request.Body["model"] ?? "(default)";
            OpenAICompatibleLog.StreamingForThinking(_logger, ProviderName, model);
            return await StreamAsync(new StreamRequest(request.Body), options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);
        }

        using var httpRequest = new HttpRequestMessage(HttpMethod.Post, _chatUri) { Content = ModelHttpTransport.CreateJsonContent(request.Body) };
        var (bytes, response) = await Transport.SendForBodyAsync(httpRequest, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var parsed = Deserialize(bytes, response.StatusCode, response.Headers);
            ThrowIfError(parsed, response.Headers);
            var result = OpenAICompatibleResponseMapper.ToChatResponse(parsed, _splitThinkTags, ProviderName, ThinkBlockOpenedInPrompt(request.Body, options));
            ReasoningProvenance.Tag(result, ProviderName);
            return ApplyOutputPolicy(result, options);
        }
    }

    /// <summary>The body a non-streamed request for these messages and options would carry.</summary>
    public JsonObject BuildNonStreamingBody(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient owner) =>
        OpenAICompatibleRequestBuilder.BuildRequest(messages, options, _defaultModelId, _dialect, stream: false, owner, _logger).Body;

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Straight to the one iterator (no wrapper iterator re-yielding every update); the request is still built on the first MoveNextAsync.
        return StreamAsync(new StreamRequest(messages, owner), options, cancellationToken);
    }

    /// <summary>Whether the reply may start inside a think block the template opened (only where the server leaves reasoning inline).</summary>
    private bool ThinkBlockOpenedInPrompt(JsonObject body, ChatOptions? options) =>
        _splitThinkTags && !_dialect.ReasoningAlwaysSeparated && ThinkBlockInPrompt.Applies((string?)body["model"], options, body);

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(StreamRequest source, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (request, session, skipUpdates, thinkInPrompt) = CreateStreamRequest(source, options);
        using var requestScope = request;
        var sessionScope = new StreamSessionScope(session, keepOnEarlyExit: options?.AllowBackgroundResponses == true, cancellationToken);
        await using var sessionDisposal = sessionScope.ConfigureAwait(false);
        bool issueTokens = session is not null && options?.AllowBackgroundResponses == true;
        int updatesSeen = 0;

        using var response = await SendStreamRequestAsync(request, restored: skipUpdates >= 0, cancellationToken).ConfigureAwait(false);
        string? headerRequestId = ProviderErrorMapper.GetRequestId(response.Headers);
        bool hideReasoning = ReasoningVisibility.IsHidden(options);

        if (response.Content.Headers.ContentType?.MediaType is "application/json")
        {
            // A server that ignores "stream" (or answers an error with 200) sends one JSON body; surface it the same way.
            var bytes = await Transport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var parsed = Deserialize(bytes, response.StatusCode, response.Headers);
            ThrowIfError(parsed, response.Headers);
            var whole = OpenAICompatibleResponseMapper.ToChatResponse(parsed, _splitThinkTags, ProviderName, thinkInPrompt);
            ReasoningProvenance.Tag(whole, ProviderName);
            foreach (var update in ApplyOutputPolicy(whole, options).ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        var errorField = new SseErrorFieldWatcher();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var stream = new BoundedReadStream(session?.Wrap(body, request) ?? body, Transport.Limits.MaxStreamBytes, Transport.Limits.MaxLineBytes, errorField);
        await using var streamScope = stream.ConfigureAwait(false);
        var state = new StreamState(_splitThinkTags, thinkInPrompt, hideReasoning, ProviderName);
        var chunkReader = new ChatCompletionChunkReader();
        var events = SseParser.Create(stream, (eventType, data) => ParseEvent(eventType, data, chunkReader)).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var eventsScope = events.ConfigureAwait(false);

        while (true)
        {
            sessionScope.AtYield = false;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (InvalidDataException e)
            {
                throw new OpenModelProtocolException(ProviderName, response.StatusCode, e.Message, requestId: state.ResponseId ?? headerRequestId, innerException: e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && e is not OpenModelException && !cancellationToken.IsCancellationRequested)
            {
                throw new OpenModelProtocolException(ProviderName, response.StatusCode, $"the stream broke before it ended ({e.Message})", isTruncated: true, requestId: state.ResponseId ?? headerRequestId, innerException: e);
            }

            var item = events.Current.Data;
            switch (item.Kind)
            {
                case SseEventKind.Skip:
                    continue;
                case SseEventKind.Done:
                    state.SawDone = true;
                    break;
                case SseEventKind.Malformed:
                    throw new OpenModelProtocolException(ProviderName, response.StatusCode, "a stream event is not valid JSON", item.Prefix, requestId: state.ResponseId ?? headerRequestId);
                case SseEventKind.ErrorEvent:
                    throw ProviderErrorMapper.FromStreamPayload(ProviderName, item.ErrorPayload, state.ResponseId ?? headerRequestId);
                case SseEventKind.Chunk:
                    var chunk = item.Chunk;
                    if (chunk.Error is { } error)
                    {
                        throw ProviderErrorMapper.FromStreamPayload(ProviderName, error, chunk.Id ?? state.ResponseId ?? headerRequestId);
                    }

                    if (state.TryProcessSingleChoice(chunk, out var single))
                    {
                        if (single is not null && Deliver(single, ref updatesSeen, skipUpdates, issueTokens ? session : null, sessionScope))
                        {
                            yield return single;
                        }

                        continue;
                    }

                    foreach (var update in state.Process(chunk))
                    {
                        if (Deliver(update, ref updatesSeen, skipUpdates, issueTokens ? session : null, sessionScope))
                        {
                            yield return update;
                        }
                    }

                    continue;
            }

            break; // [DONE]
        }

        // Old llama.cpp reports a failed generation as an "error:" line before an ordinary [DONE]; checked here, once every event before it is out.
        if (errorField.ToException(ProviderName, response.StatusCode, state.ResponseId ?? headerRequestId) is { } legacyError)
        {
            throw legacyError;
        }

        if (!state.SawDone && !state.SawFinishReason)
        {
            throw new OpenModelProtocolException(ProviderName, response.StatusCode, "the stream ended without [DONE] or a finish reason", isTruncated: true, requestId: state.ResponseId ?? headerRequestId);
        }

        sessionScope.Completed();
        var last = state.Complete();
        if (last is null && issueTokens && updatesSeen > skipUpdates)
        {
            last = new ChatResponseUpdate { ResponseId = state.ResponseId }; // every update so far carried a token: this one says the stream is over
        }

        if (last is not null && ++updatesSeen > skipUpdates)
        {
            yield return last; // the last update carries no continuation token: there is nothing left to continue
        }
    }

    /// <summary>The streamed request: a new chat request (marked resumable when the server can replay it), or the replay of the stream a
    /// caller's continuation token names; <c>SkipUpdates</c> is how many updates that caller already has (-1 for a new request);
    /// <c>ThinkInPrompt</c> whether the reply may start inside a think block the template opened (unknown, so no, for a replay).</summary>
    private (HttpRequestMessage Request, ResumableChatStream? Session, int SkipUpdates, bool ThinkInPrompt) CreateStreamRequest(StreamRequest source, ChatOptions? options)
    {
        if (options?.ContinuationToken is { } token)
        {
            if (StreamResumption is null || !StreamResumption.TryRestore(token, out var restored, out int delivered))
            {
                throw new ArgumentException($"The continuation token was not issued by a {ProviderName} stream of this library; only such tokens can be continued here.", nameof(options));
            }

            var replay = restored!.CreateReplayRequest();
            return (replay, restored, delivered, false);
        }

        var body = source.Body ?? OpenAICompatibleRequestBuilder.BuildRequest(source.Messages!, options, _defaultModelId, _dialect, stream: true, source.Owner!, _logger).Body;
        var request = new HttpRequestMessage(HttpMethod.Post, _chatUri) { Content = ModelHttpTransport.CreateJsonContent(body) };
        request.Headers.Accept.Add(EventStream);
        return (request, StreamResumption?.Begin(request), -1, ThinkBlockOpenedInPrompt(body, options));
    }

    private async Task<HttpResponseMessage> SendStreamRequestAsync(HttpRequestMessage request, bool restored, CancellationToken cancellationToken)
    {
        try
        {
            return await Transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenModelException e) when (restored && e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // The server no longer has the stream (expired, deleted, never started) or no longer keeps its start.
            throw new OpenModelProtocolException(ProviderName, e.StatusCode, $"the stream cannot be continued: the server no longer keeps it ({e.Message})", isTruncated: true, requestId: e.RequestId, innerException: e);
        }
    }

    /// <summary>Counts an update and says whether to deliver it: a caller continuing from a token already has the first ones.</summary>
    private static bool Deliver(ChatResponseUpdate update, ref int updatesSeen, int skipUpdates, ResumableChatStream? tokens, StreamSessionScope scope)
    {
        if (++updatesSeen <= skipUpdates)
        {
            return false;
        }

        scope.AtYield = true;

        if (tokens is not null)
        {
            update.ContinuationToken = tokens.TokenAfter(updatesSeen);
        }

        return true;
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateEmbeddingsAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options, string? defaultModelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = new System.Text.Json.Nodes.JsonArray();
        foreach (var value in values)
        {
            inputs.Add((System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(value));
        }

        var body = new System.Text.Json.Nodes.JsonObject();
        if ((options?.ModelId ?? defaultModelId) is { } model)
        {
            body["model"] = model;
        }

        // One input goes as a plain string, the form every server accepts.
        body["input"] = inputs.Count == 1 ? inputs[0]!.DeepClone() : inputs;
        body["encoding_format"] = "float";
        if (options?.Dimensions is { } dimensions)
        {
            body["dimensions"] = dimensions;
        }

        if (options?.AdditionalProperties is { Count: > 0 } extra)
        {
            foreach (var (key, value) in extra)
            {
                WireJson.Merge(body, key, WireJson.ToNode(value));
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _embeddingsUri) { Content = ModelHttpTransport.CreateJsonContent(body) };
        var (bytes, response) = await Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            EmbeddingResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(bytes, OpenAICompatibleJsonContext.Default.EmbeddingResponse);
            }
            catch (JsonException e)
            {
                throw new OpenModelProtocolException(ProviderName, response.StatusCode, "the embeddings response is not valid JSON", ReceivedText.Prefix(bytes), innerException: e);
            }

            if (parsed?.Data is null)
            {
                throw new OpenModelProtocolException(ProviderName, response.StatusCode, "the embeddings response has no 'data'", ReceivedText.Prefix(bytes));
            }

            var created = TimeProvider.System.GetUtcNow();
            var result = new GeneratedEmbeddings<Embedding<float>>(parsed.Data.OrderBy(d => d.Index).Select(d => new Embedding<float>(d.Embedding ?? [])
            {
                ModelId = parsed.Model,
                CreatedAt = created,
            }));
            if (parsed.Usage is { } usage)
            {
                result.Usage = new UsageDetails { InputTokenCount = WireNumbers.Count(usage.PromptTokens), TotalTokenCount = WireNumbers.Count(usage.TotalTokens ?? usage.PromptTokens) };
            }

            return result;
        }
    }

    public void Dispose() => Transport.Dispose();

    private static ChatResponse ApplyOutputPolicy(ChatResponse response, ChatOptions? options)
    {
        if (ReasoningVisibility.IsHidden(options))
        {
            foreach (var message in response.Messages)
            {
                var kept = message.Contents.Where(c => c is not TextReasoningContent).ToList();
                message.Contents = kept;
            }
        }

        return response;
    }

    private ChatCompletionResponse Deserialize(byte[] bytes, HttpStatusCode status, HttpResponseHeaders headers)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, OpenAICompatibleJsonContext.Default.ChatCompletionResponse)
                ?? throw new OpenModelProtocolException(ProviderName, status, "the response body is JSON null", requestId: ProviderErrorMapper.GetRequestId(headers));
        }
        catch (JsonException e)
        {
            throw new OpenModelProtocolException(ProviderName, status, "the response body is not valid JSON", ReceivedText.Prefix(bytes), requestId: ProviderErrorMapper.GetRequestId(headers), innerException: e);
        }
    }

    private void ThrowIfError(ChatCompletionResponse parsed, HttpResponseHeaders headers)
    {
        if (parsed.Error is { } error)
        {
            throw ProviderErrorMapper.FromStreamPayload(ProviderName, error, ProviderErrorMapper.GetRequestId(headers) ?? parsed.Id);
        }

        if (parsed.Object == "error")
        {
            throw new OpenModelException(OpenModelErrorKind.ServerError, ProviderName, null, parsed.Message, requestId: ProviderErrorMapper.GetRequestId(headers));
        }

        // A reply without choices carries no answer at all: an empty success would hide a broken server.
        if (parsed.Choices is not { Count: > 0 })
        {
            throw new OpenModelProtocolException(ProviderName, null, "the response has no choices", requestId: ProviderErrorMapper.GetRequestId(headers) ?? parsed.Id);
        }
    }

    private static SseEvent ParseEvent(string eventType, ReadOnlySpan<byte> data, ChatCompletionChunkReader chunkReader)
    {
        // Almost every event is a chunk object; the JSON reader skips surrounding whitespace itself, so only other events are trimmed.
        bool isObject = !data.IsEmpty && data[0] == (byte)'{';
        var trimmed = isObject ? data : data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return default;
        }

        if (!isObject && trimmed.SequenceEqual("[DONE]"u8))
        {
            return new SseEvent(SseEventKind.Done);
        }

        try
        {
            ChatCompletionResponse? chunk = null;
            if (eventType != "error" && !chunkReader.TryRead(trimmed, out chunk))
            {
                chunk = JsonSerializer.Deserialize(trimmed, OpenAICompatibleJsonContext.Default.ChatCompletionResponse);
            }

            // An "event: error" frame, or old vLLM's flat {"object":"error",…}, is an error payload as a whole.
            if (eventType == "error" || chunk?.Object == "error")
            {
                using var doc = JsonDocument.Parse(trimmed.ToArray());
                return new SseEvent(SseEventKind.ErrorEvent, doc.RootElement.Clone());
            }

            return chunk is null
                ? new SseEvent(SseEventKind.Malformed, ReceivedText.Prefix(trimmed))
                : new SseEvent(SseEventKind.Chunk, chunk);
        }
        catch (JsonException)
        {
            return new SseEvent(SseEventKind.Malformed, ReceivedText.Prefix(trimmed));
        }
    }

    /// <summary>What to stream: a body already built, or the messages to build it from once enumeration starts.</summary>
    private readonly record struct StreamRequest(JsonObject? Body, IEnumerable<ChatMessage>? Messages = null, IChatClient? Owner = null)
    {
        public StreamRequest(IEnumerable<ChatMessage> messages, IChatClient owner)
            : this(null, messages, owner)
        {
        }
    }

    private enum SseEventKind
    {
        Skip,
        Done,
        Chunk,
        ErrorEvent,
        Malformed,
    }

    /// <summary>One parsed event, kept to two fields because SseParser copies it several times per event.</summary>
    private readonly struct SseEvent(SseEventKind kind, object? payload = null)
    {
        public SseEventKind Kind { get; } = kind;

        public ChatCompletionResponse Chunk => (ChatCompletionResponse)payload!;

        public JsonElement ErrorPayload => (JsonElement)payload!; // boxed: errors are rare

        public string? Prefix => (string?)payload;
    }
}
