namespace OpenModelClient;

/// <summary>The configuration contract of an <c>OpenModel</c> section: which provider, where, which model, and how to authenticate.</summary>
/// <remarks>
/// Bound from a configuration section such as <c>"OpenModel": { "Provider": "LlamaCpp", "Endpoint": "http://localhost:8080" }</c>,
/// or from a connection string <c>Provider=LlamaCpp;Endpoint=http://localhost:8080;Model=…</c>.
/// Invalid values fail at start-up with a message that names the key. <see cref="ToString"/> never shows the API key.
/// </remarks>
public sealed class OpenModelClientOptions
{
    private OpenModelTimeoutOptions _timeouts = new();
    private OpenModelRetryOptions _retry = new();
    private OpenModelCircuitBreakerOptions _circuitBreaker = new();
    private OpenModelTelemetryOptions _telemetry = new();
    private OpenModelResponseLimits _limits = new();
    private OpenModelGuardOptions _guards = new();

    /// <summary>Gets or sets the provider. Configuration names it as text: <c>LlamaCpp</c>, <c>Ollama</c>, <c>DeepSeek</c>, <c>Qwen</c> or <c>OpenAICompatible</c> (case-insensitive).</summary>
    /// <value>Required; there is no default.</value>
    public OpenModelProvider? Provider { get; set; }

    /// <summary>Gets or sets the base URL as the server's own documentation gives it (llama.cpp: the server root, e.g. <c>http://localhost:8080</c>; OpenAI-compatible: the base before <c>/chat/completions</c>, e.g. <c>http://localhost:8000/v1</c>).</summary>
    /// <value>An absolute http(s) URL; configuration gives it as text. Required for <c>LlamaCpp</c> and for <c>OpenAICompatible</c> without a preset;
    /// the other providers have a default. A trailing slash never matters.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the chat model id.</summary>
    /// <value>Required for every provider but <c>LlamaCpp</c>, which serves one model and may ignore it.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the API key, sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default is <see langword="null"/>. Required for hosted providers. Never logged, never in exceptions or spans.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the Qwen region: <c>Beijing</c>, <c>Singapore</c>, <c>US</c> or <c>HongKong</c>.</summary>
    /// <value>The default is <see langword="null"/>; Qwen needs it or an explicit <see cref="Endpoint"/>.</value>
    public string? Region { get; set; }

    /// <summary>Gets or sets the OpenAI-compatible server kind: <c>Generic</c>, <c>Vllm</c>, <c>SGLang</c>, <c>LMStudio</c> or <c>Ollama</c> (its <c>/v1</c>).</summary>
    /// <value>The default is <c>Generic</c>. A named preset knows the server's default port (so <see cref="Endpoint"/> may be omitted), its reasoning field and its thinking switch.</value>
    public string? Preset { get; set; }

    /// <summary>Gets or sets the embedding model id, used by <c>AddOpenModelEmbeddingGenerator</c>.</summary>
    /// <value>The default is <see langword="null"/>: the embedding generator falls back to <see cref="Model"/>.</value>
    public string? EmbeddingModel { get; set; }

    /// <summary>Gets or sets a value indicating whether an inline <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens a reply becomes reasoning content.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ThinkTags { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a setting the endpoint is known not to support (tools, images, reasoning) is dropped with a logged warning instead of being sent.</summary>
    /// <value>The default is <see langword="true"/>. What the endpoint supports is read once (llama.cpp <c>/props</c>, Ollama <c>/api/show</c>, the hosted providers' documented tables); see <see cref="CapabilityGuardChatClient"/>.</value>
    public bool CapabilityGuard { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the capability guard counts each request's input tokens with the server before it is
    /// sent, and fails one that cannot fit the context with <see cref="ContextLengthExceededException"/> (both numbers) instead of sending it.</summary>
    /// <value>The default is <see langword="false"/> (it costs one short request per call). Works where the server counts exactly
    /// (llama.cpp <c>/v1/chat/completions/input_tokens</c>, vLLM <c>/tokenize</c>) and needs <see cref="CapabilityGuard"/>.</value>
    public bool CheckContextLength { get; set; }

    /// <summary>Gets or sets a value indicating whether llama.cpp streams are resumable: a connection that breaks mid-stream is reopened where
    /// it stopped, and continuation tokens work (see <see cref="LlamaCppClientOptions.ResumableStreams"/>). Other providers ignore it.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ResumableStreams { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <see cref="Endpoint"/> names a logical service resolved by Microsoft.Extensions.ServiceDiscovery, e.g. <c>http://llama</c> with replicas under <c>Services:llama:http</c>.</summary>
    /// <value>The default is <see langword="false"/>. When on, requests are spread round-robin over the replicas and each retry resolves again, so it can land on another replica.</value>
    public bool ServiceDiscovery { get; set; }

    /// <summary>Gets or sets the time limits (<c>Timeouts:Connect</c>, <c>Timeouts:FirstChunk</c>, <c>Timeouts:Idle</c>, <c>Timeouts:Total</c>).</summary>
    /// <value>Unset values take the provider kind's defaults; see <see cref="OpenModelTimeoutOptions"/>.</value>
    public OpenModelTimeoutOptions Timeouts
    {
        get => _timeouts;
        set => _timeouts = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the retry settings (<c>Retry:MaxAttempts</c>, <c>Retry:MaxRetryAfter</c>, <c>Retry:BaseDelay</c>).</summary>
    /// <value>See <see cref="OpenModelRetryOptions"/> for the defaults.</value>
    public OpenModelRetryOptions Retry
    {
        get => _retry;
        set => _retry = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the circuit-breaker settings (<c>CircuitBreaker:Enabled</c>, <c>CircuitBreaker:FailureRatio</c>,
    /// <c>CircuitBreaker:MinimumThroughput</c>, <c>CircuitBreaker:SamplingDuration</c>, <c>CircuitBreaker:BreakDuration</c>).</summary>
    /// <value>See <see cref="OpenModelCircuitBreakerOptions"/> for the defaults.</value>
    public OpenModelCircuitBreakerOptions CircuitBreaker
    {
        get => _circuitBreaker;
        set => _circuitBreaker = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the telemetry settings (<c>Telemetry:Enabled</c>, <c>Telemetry:EnableSensitiveData</c>).</summary>
    /// <value>Telemetry is on, without message content, by default.</value>
    public OpenModelTelemetryOptions Telemetry
    {
        get => _telemetry;
        set => _telemetry = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the bounds on what a server may send (<c>Limits:MaxLineBytes</c>, <c>Limits:MaxBodyBytes</c>, <c>Limits:MaxStreamBytes</c>), in bytes.</summary>
    /// <value>8 MiB lines, 64 MiB bodies and 1 GiB streams by default; see <see cref="OpenModelResponseLimits"/>.</value>
    public OpenModelResponseLimits Limits
    {
        get => _limits;
        set => _limits = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the guards' settings (<c>Guards:AnswerRoom:*</c>, <c>Guards:Schema:Enabled</c>, <c>Guards:ToolCallRepair:*</c>, <c>Guards:TruncatedToolCall:*</c>).</summary>
    /// <value>Every guard is on by default; retries are off. See <see cref="OpenModelGuardOptions"/>.</value>
    public OpenModelGuardOptions Guards
    {
        get => _guards;
        set => _guards = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets the client-side concurrency limit (<c>Concurrency:MaxConcurrentRequests</c>, <c>Concurrency:QueueLimit</c>, <c>Concurrency:FromServer</c>).</summary>
    /// <value>No limit by default; see <see cref="OpenModelConcurrencyOptions"/>.</value>
    public OpenModelConcurrencyOptions Concurrency { get; } = new();

    /// <summary>Gets how the embedding generator splits large calls (<c>Embeddings:BatchSize</c>, <c>Embeddings:MaxParallelism</c>).</summary>
    /// <value>Per-provider batch sizes by default; see <see cref="OpenModelEmbeddingOptions"/>.</value>
    public OpenModelEmbeddingOptions Embeddings { get; } = new();

    /// <summary>Gets how requests are spread over the endpoint's replicas (<c>Routing:Strategy</c>, <c>Routing:LoadFactor</c>, <c>Routing:AffinityHeader</c>).</summary>
    /// <value>Round-robin by default; see <see cref="OpenModelRoutingOptions"/>.</value>
    public OpenModelRoutingOptions Routing { get; } = new();

    /// <summary>Gets the problems met while reading configuration, reported by the start-up validation.</summary>
    internal List<string> BindingErrors { get; } = [];

    /// <summary>Gets or sets the configured <c>Provider</c> text that names no provider, reported by the start-up validation.</summary>
    internal string? UnknownProvider { get; set; }

    /// <summary>Gets or sets the configured <c>Endpoint</c> text that is not an absolute URL, reported by the start-up validation.</summary>
    internal string? InvalidEndpoint { get; set; }

    /// <summary>Returns the settings with the API key redacted.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"Provider={Provider}; Preset={Preset}; Endpoint={Endpoint}; Model={Model}; ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}; Region={Region}; EmbeddingModel={EmbeddingModel}";
}
