namespace OpenModelClient;

/// <summary>The one table of providers the DI layer supports: defaults, requirements and factories, one entry each.</summary>
internal static class OpenModelProviders
{
    /// <summary>Ollama's hosted API (Ollama Cloud): the native protocol at https://ollama.com with <c>OLLAMA_API_KEY</c> as a Bearer token.</summary>
    public const string OllamaCloudHost = "ollama.com";

    public const string DeepSeekHasNoEmbeddings = "DeepSeek has no embeddings API. Configure embeddings with another provider, e.g. Qwen (text-embedding-v4), Ollama or a llama.cpp server started with --embeddings.";

    public static OpenModelProviderDescriptor LlamaCpp { get; } = new()
    {
        Provider = OpenModelProvider.LlamaCpp,
        ExampleEndpoint = "http://localhost:8080 (llama-server's --port; newer builds default to 9931)",
        RequiresModel = false,
        ReadsServerSlots = true,
        EmbeddingBatchSize = 32,
        TelemetryName = _ => ProviderNames.LlamaCpp,
        CreateChatClient = s => new LlamaCppChatClient(s.RequiredEndpoint, s.Model, s.HttpClient, new LlamaCppClientOptions
        {
            ApiKey = s.ApiKey,
            ResponseLimits = s.Options.Limits,
            SplitThinkTags = s.Options.ThinkTags,
            ResumableStreams = s.Options.ResumableStreams,
        }),
        CreateEmbeddingGenerator = s => new LlamaCppEmbeddingGenerator(s.RequiredEndpoint, s.EmbeddingModel, s.HttpClient, new LlamaCppClientOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits }),
        CreateReranker = s => new LlamaCppReranker(s.RequiredEndpoint, s.Model, s.HttpClient, new LlamaCppClientOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits }),
    };

    public static OpenModelProviderDescriptor Ollama { get; } = new()
    {
        Provider = OpenModelProvider.Ollama,
        // OLLAMA_API_KEY belongs to Ollama Cloud alone: it is never sent to a local or self-hosted Ollama.
        ApiKeyVariable = o => IsOllamaCloud(o.Endpoint) ? "OLLAMA_API_KEY" : null,
        DefaultEndpoint = _ => OllamaChatClient.DefaultEndpoint,
        RecognizesEndpoint = uri => IsHost(uri.Host, OllamaCloudHost) || uri.Port == 11434,
        ExampleEndpoint = "http://localhost:11434",
        ModelExample = ", e.g. qwen3:4b",
        TelemetryName = _ => ProviderNames.Ollama,
        CreateChatClient = s => new OllamaChatClient(s.RequiredEndpoint, s.Model, s.HttpClient, new OllamaChatClientOptions
        {
            ApiKey = s.ApiKey,
            ResponseLimits = s.Options.Limits,
            SplitThinkTags = s.Options.ThinkTags,
            LoggerFactory = s.LoggerFactory,
        }),
        CreateEmbeddingGenerator = s => new OllamaEmbeddingGenerator(s.RequiredEndpoint, s.EmbeddingModel, s.HttpClient, new OllamaEmbeddingGeneratorOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits }),
    };

    public static OpenModelProviderDescriptor DeepSeek { get; } = new()
    {
        Provider = OpenModelProvider.DeepSeek,
        Hosted = true,
        ApiKeyVariable = _ => "DEEPSEEK_API_KEY",
        DefaultEndpoint = _ => DeepSeekChatClient.DefaultEndpoint,
        RecognizesEndpoint = uri => IsHost(uri.Host, "api.deepseek.com"),
        ExampleEndpoint = "https://api.deepseek.com",
        ModelExample = $", e.g. {DeepSeekModels.Flash} or {DeepSeekModels.V4Pro}",
        TelemetryName = _ => ProviderNames.DeepSeek,
        CreateChatClient = s => new DeepSeekChatClient(s.RequiredEndpoint, s.Model!, s.HttpClient, new DeepSeekChatClientOptions
        {
            ApiKey = s.ApiKey,
            ResponseLimits = s.Options.Limits,
            SplitThinkTags = s.Options.ThinkTags,
            LoggerFactory = s.LoggerFactory,
        }),
        NoEmbeddings = DeepSeekHasNoEmbeddings,
    };

    public static OpenModelProviderDescriptor Qwen { get; } = new()
    {
        Provider = OpenModelProvider.Qwen,
        Hosted = true,
        ApiKeyVariable = _ => "DASHSCOPE_API_KEY",
        DefaultEndpoint = o => string.IsNullOrWhiteSpace(o.Region) ? null : QwenEndpoints.ForRegion(o.Region),
        RecognizesEndpoint = uri => uri.Host.StartsWith("dashscope", StringComparison.OrdinalIgnoreCase) && uri.Host.EndsWith(".aliyuncs.com", StringComparison.OrdinalIgnoreCase),
        ExampleEndpoint = "http://localhost:8000/v1",
        ModelExample = ", e.g. qwen3.6-plus",
        TelemetryName = _ => ProviderNames.Qwen,
        Validate = ValidateQwenRegion,
        EmbeddingBatchSize = QwenEmbeddingGenerator.DefaultMaxBatchSize,
        MaxEmbeddingBatchSize = QwenEmbeddingGenerator.DefaultMaxBatchSize,
        CreateChatClient = s => new QwenChatClient(QwenEndpoint(s), s.Model!, s.HttpClient, new QwenChatClientOptions
        {
            ApiKey = s.ApiKey,
            ResponseLimits = s.Options.Limits,
            SplitThinkTags = s.Options.ThinkTags,
            LoggerFactory = s.LoggerFactory,
        }),
        CreateEmbeddingGenerator = s => new QwenEmbeddingGenerator(QwenEndpoint(s), string.IsNullOrWhiteSpace(s.Options.EmbeddingModel) ? QwenEmbeddingGenerator.DefaultModelId : s.Options.EmbeddingModel, s.HttpClient, new QwenEmbeddingGeneratorOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits }),
        CreateReranker = s => new QwenReranker(QwenEndpoint(s), s.Model ?? QwenReranker.DefaultModelId, s.HttpClient, s.ApiKey),
    };

    public static OpenModelProviderDescriptor OpenAICompatible { get; } = new()
    {
        Provider = OpenModelProvider.OpenAICompatible,
        DefaultEndpoint = o => OpenAICompatiblePresets.DefaultEndpoint(Preset(o)),
        RecognizesEndpoint = uri => uri.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase),
        ExampleEndpoint = "http://localhost:8000/v1",
        TelemetryName = o => Preset(o) switch
        {
            OpenAICompatiblePreset.Vllm => ProviderNames.Vllm,
            OpenAICompatiblePreset.SGLang => ProviderNames.SGLang,
            OpenAICompatiblePreset.LMStudio => ProviderNames.LMStudio,
            OpenAICompatiblePreset.Ollama => ProviderNames.Ollama,
            _ => ProviderNames.OpenAICompatible,
        },
        CreateChatClient = s => new OpenAICompatibleChatClient(s.Endpoint, s.Model, s.HttpClient, new OpenAICompatibleClientOptions
        {
            ApiKey = s.ApiKey,
            ResponseLimits = s.Options.Limits,
            Preset = Preset(s.Options),
            SplitThinkTags = s.Options.ThinkTags,
            LoggerFactory = s.LoggerFactory,
        }),
        CreateEmbeddingGenerator = s => new OpenAICompatibleEmbeddingGenerator(s.Endpoint, s.EmbeddingModel, s.HttpClient, new OpenAICompatibleClientOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits, Preset = Preset(s.Options) }),
        CreateReranker = s => new OpenAICompatibleReranker(s.RequiredEndpoint, s.Model, s.HttpClient, new OpenAICompatibleClientOptions { ApiKey = s.ApiKey, ResponseLimits = s.Options.Limits, Preset = Preset(s.Options) }),
    };

    /// <summary>Every provider, in the order of <see cref="OpenModelProvider"/>.</summary>
    public static IReadOnlyList<OpenModelProviderDescriptor> All { get; } = [LlamaCpp, Ollama, DeepSeek, Qwen, OpenAICompatible];

    public static OpenModelProviderDescriptor For(OpenModelProvider provider) =>
        All.FirstOrDefault(d => d.Provider == provider) ?? throw new NotSupportedException($"Provider '{provider}' is not supported.");

    public static OpenAICompatiblePreset Preset(OpenModelClientOptions options) =>
        Enum.TryParse(string.IsNullOrWhiteSpace(options.Preset) ? nameof(OpenAICompatiblePreset.Generic) : options.Preset, ignoreCase: true, out OpenAICompatiblePreset preset) ? preset : OpenAICompatiblePreset.Generic;

    private static Uri QwenEndpoint(ProviderSettings s) =>
        s.Endpoint ?? throw new InvalidOperationException("Qwen needs a Region or an Endpoint.");

    private static void ValidateQwenRegion(OpenModelClientOptions options, Func<string, string> key, List<string> failures)
    {
        if (options.Endpoint is not null || options.InvalidEndpoint is not null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add($"{key("Region")} is missing; Qwen keys work only in their own region. Set it to Beijing, Singapore, US or HongKong, or set {key("Endpoint")} (e.g. a workspace domain).");
            return;
        }

        try
        {
            QwenEndpoints.ForRegion(options.Region);
        }
        catch (ArgumentException e)
        {
            failures.Add($"{key("Region")} '{options.Region}' is not a Qwen region: {e.Message}");
        }
    }

    private static bool IsOllamaCloud(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && uri.Scheme == Uri.UriSchemeHttps && IsHost(uri.Host, OllamaCloudHost);

    private static bool IsHost(string host, string name) =>
        string.Equals(host, name, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + name, StringComparison.OrdinalIgnoreCase);
}
