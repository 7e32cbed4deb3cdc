using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Creates the provider's client from validated <see cref="OpenModelClientOptions"/>: the one place provider names turn into types.</summary>
internal static class OpenModelClientFactory
{
    /// <summary>Exactly one known provider name, in any case: not a number, and not a comma-separated list (which <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> would combine as flags).</summary>
    public static bool TryParseProvider(string? value, out OpenModelProvider provider)
    {
        provider = default;
        string? name = value?.Trim();
        foreach (var candidate in Enum.GetValues<OpenModelProvider>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>The environment variables each hosted provider's own tools read, used when the section has no <c>ApiKey</c>.</summary>
    public static string? ApiKeyEnvironmentVariable(OpenModelProvider provider) => provider switch
    {
        OpenModelProvider.DeepSeek => "DEEPSEEK_API_KEY",
        OpenModelProvider.Qwen => "DASHSCOPE_API_KEY",
        _ => null,
    };

    /// <summary>Ollama's hosted API (Ollama Cloud): the native protocol at https://ollama.com with <c>OLLAMA_API_KEY</c> as a Bearer token.</summary>
    public const string OllamaCloudHost = "ollama.com";

    public static string? ResolveApiKey(OpenModelClientOptions options, OpenModelProvider provider)
    {
        if (NullIfEmpty(options.ApiKey) is { } configured)
        {
            return configured;
        }

        // OLLAMA_API_KEY belongs to Ollama Cloud alone: it is never sent to a local or self-hosted Ollama.
        string? variable = provider == OpenModelProvider.Ollama
            ? (IsOllamaCloud(options.Endpoint) ? "OLLAMA_API_KEY" : null)
            : ApiKeyEnvironmentVariable(provider);
        return variable is null ? null : NullIfEmpty(Environment.GetEnvironmentVariable(variable));
    }

    private static bool IsOllamaCloud(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && uri.Scheme == Uri.UriSchemeHttps
        && (string.Equals(uri.Host, OllamaCloudHost, StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith("." + OllamaCloudHost, StringComparison.OrdinalIgnoreCase));

    public static IChatClient CreateChatClient(OpenModelClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory = null)
    {
        var provider = Parse(options);
        string? apiKey = ResolveApiKey(options, provider);
        string? model = NullIfEmpty(options.Model);
        return provider switch
        {
            OpenModelProvider.LlamaCpp => new LlamaCppChatClient(Required(options), model, httpClient, new LlamaCppClientOptions
            {
                ApiKey = apiKey,
                ResponseLimits = options.Limits,
                SplitThinkTags = options.ThinkTags,
                ResumableStreams = options.ResumableStreams,
            }),
            OpenModelProvider.OpenAICompatible => new OpenAICompatibleChatClient(Optional(options), model, httpClient, new OpenAICompatibleClientOptions
            {
                ApiKey = apiKey,
                ResponseLimits = options.Limits,
                Preset = Preset(options),
                SplitThinkTags = options.ThinkTags,
                LoggerFactory = loggerFactory,
            }),
            OpenModelProvider.Ollama => new OllamaChatClient(Optional(options) ?? OllamaChatClient.DefaultEndpoint, model, httpClient, new OllamaChatClientOptions
            {
                ApiKey = apiKey,
                ResponseLimits = options.Limits,
                SplitThinkTags = options.ThinkTags,
                LoggerFactory = loggerFactory,
            }),
            OpenModelProvider.DeepSeek => new DeepSeekChatClient(Optional(options) ?? DeepSeekChatClient.DefaultEndpoint, model!, httpClient, new DeepSeekChatClientOptions
            {
                ApiKey = apiKey,
                ResponseLimits = options.Limits,
                SplitThinkTags = options.ThinkTags,
                LoggerFactory = loggerFactory,
            }),
            OpenModelProvider.Qwen => new QwenChatClient(QwenEndpoint(options), model!, httpClient, new QwenChatClientOptions
            {
                ApiKey = apiKey,
                ResponseLimits = options.Limits,
                SplitThinkTags = options.ThinkTags,
                LoggerFactory = loggerFactory,
            }),
            _ => throw new NotSupportedException($"Provider '{provider}' is not supported."),
        };
    }

    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenModelClientOptions options, HttpClient? httpClient)
    {
        var provider = Parse(options);
        string? apiKey = ResolveApiKey(options, provider);
        string? model = NullIfEmpty(options.EmbeddingModel) ?? NullIfEmpty(options.Model);
        return provider switch
        {
            OpenModelProvider.LlamaCpp => new LlamaCppEmbeddingGenerator(Required(options), model, httpClient, new LlamaCppClientOptions { ApiKey = apiKey, ResponseLimits = options.Limits }),
            OpenModelProvider.OpenAICompatible => new OpenAICompatibleEmbeddingGenerator(Optional(options), model, httpClient, new OpenAICompatibleClientOptions { ApiKey = apiKey, ResponseLimits = options.Limits, Preset = Preset(options) }),
            OpenModelProvider.Ollama => new OllamaEmbeddingGenerator(Optional(options) ?? OllamaChatClient.DefaultEndpoint, model, httpClient, new OllamaEmbeddingGeneratorOptions { ApiKey = apiKey, ResponseLimits = options.Limits }),
            OpenModelProvider.Qwen => new QwenEmbeddingGenerator(QwenEndpoint(options), NullIfEmpty(options.EmbeddingModel) ?? QwenEmbeddingGenerator.DefaultModelId, httpClient, new QwenEmbeddingGeneratorOptions { ApiKey = apiKey, ResponseLimits = options.Limits }),
            OpenModelProvider.DeepSeek => throw new NotSupportedException(DeepSeekHasNoEmbeddings),
            _ => throw new NotSupportedException($"Provider '{provider}' is not supported."),
        };
    }

    public static IReranker CreateReranker(OpenModelClientOptions options, HttpClient? httpClient)
    {
        var provider = Parse(options);
        string? apiKey = ResolveApiKey(options, provider);
        string? model = NullIfEmpty(options.Model);
        return provider switch
        {
            OpenModelProvider.LlamaCpp => new LlamaCppReranker(Required(options), model, httpClient, new LlamaCppClientOptions { ApiKey = apiKey, ResponseLimits = options.Limits }),
            OpenModelProvider.OpenAICompatible => new OpenAICompatibleReranker(Required(options), model, httpClient, new OpenAICompatibleClientOptions { ApiKey = apiKey, ResponseLimits = options.Limits, Preset = Preset(options) }),
            OpenModelProvider.Qwen => new QwenReranker(QwenEndpoint(options), model ?? QwenReranker.DefaultModelId, httpClient, apiKey),
            _ => throw new NotSupportedException($"Provider '{provider}' has no rerank API. Configure the reranker with LlamaCpp (a server started with --reranking), OpenAICompatible (vLLM) or Qwen (qwen3-rerank)."),
        };
    }

    public const string DeepSeekHasNoEmbeddings = "DeepSeek has no embeddings API. Configure embeddings with another provider, e.g. Qwen (text-embedding-v4), Ollama or a llama.cpp server started with --embeddings.";

    public static OpenAICompatiblePreset Preset(OpenModelClientOptions options) =>
        Enum.TryParse(NullIfEmpty(options.Preset) ?? nameof(OpenAICompatiblePreset.Generic), ignoreCase: true, out OpenAICompatiblePreset preset) ? preset : OpenAICompatiblePreset.Generic;

    public static Uri QwenEndpoint(OpenModelClientOptions options) =>
        Optional(options) ?? QwenEndpoints.ForRegion(options.Region ?? throw new InvalidOperationException("Qwen needs a Region or an Endpoint."));

    private static Uri? Optional(OpenModelClientOptions options) => options.Endpoint;

    private static Uri Required(OpenModelClientOptions options) =>
        Optional(options) ?? throw new InvalidOperationException($"Provider '{options.Provider}' needs an Endpoint.");

    private static OpenModelProvider Parse(OpenModelClientOptions options) =>
        options.Provider ?? throw new InvalidOperationException("The provider is not set.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
