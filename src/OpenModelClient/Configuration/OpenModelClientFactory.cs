using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Creates the provider's client from validated <see cref="OpenModelClientOptions"/> through its entry in <see cref="OpenModelProviders"/>.</summary>
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

    public static string? ResolveApiKey(OpenModelClientOptions options, OpenModelProvider provider)
    {
        if (NullIfEmpty(options.ApiKey) is { } configured)
        {
            return configured;
        }

        string? variable = OpenModelProviders.For(provider).ApiKeyVariable(options);
        return variable is null ? null : NullIfEmpty(Environment.GetEnvironmentVariable(variable));
    }

    public static IChatClient CreateChatClient(OpenModelClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory = null)
    {
        var settings = Settings(options, httpClient, loggerFactory);
        return settings.Descriptor.CreateChatClient(settings);
    }

    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenModelClientOptions options, HttpClient? httpClient)
    {
        var settings = Settings(options, httpClient, null);
        return settings.Descriptor.CreateEmbeddingGenerator?.Invoke(settings)
            ?? throw new NotSupportedException(settings.Descriptor.NoEmbeddings ?? $"Provider '{options.Provider}' has no embeddings API.");
    }

    public static IReranker CreateReranker(OpenModelClientOptions options, HttpClient? httpClient)
    {
        var settings = Settings(options, httpClient, null);
        return settings.Descriptor.CreateReranker?.Invoke(settings)
            ?? throw new NotSupportedException($"Provider '{options.Provider}' has no rerank API. Configure the reranker with LlamaCpp (a server started with --reranking), OpenAICompatible (vLLM) or Qwen (qwen3-rerank).");
    }

    private static ProviderSettings Settings(OpenModelClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory)
    {
        var provider = options.Provider ?? throw new InvalidOperationException("The provider is not set.");
        return new ProviderSettings(OpenModelProviders.For(provider), options, ResolveApiKey(options, provider), httpClient, loggerFactory);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
