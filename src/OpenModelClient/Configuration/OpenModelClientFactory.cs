using System.Data.Common;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Creates the provider's client from validated <see cref="OpenModelClientOptions"/>: the one place provider names turn into types.</summary>
internal static class OpenModelClientFactory
{
    public static bool TryParseProvider(string? value, out OpenModelProvider provider) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out provider) && Enum.IsDefined(provider) && !int.TryParse(value, out _);

    public static bool IsAvailable(OpenModelProvider provider) =>
        provider is OpenModelProvider.LlamaCpp or OpenModelProvider.OpenAICompatible or OpenModelProvider.Ollama;

    /// <summary>Ollama's documented local address; the other local servers' ports vary (llama.cpp moved from 8080 to 9931), so they have none.</summary>
    public static readonly Uri OllamaDefaultEndpoint = new("http://localhost:11434");

    public static IChatClient CreateChatClient(OpenModelClientOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory = null)
    {
        var provider = Parse(options);
        var endpoint = Endpoint(options, provider);
        return provider switch
        {
            OpenModelProvider.LlamaCpp => new LlamaCppChatClient(endpoint, NullIfEmpty(options.Model), httpClient, new LlamaCppClientOptions
            {
                ApiKey = NullIfEmpty(options.ApiKey),
                SplitThinkTags = options.ThinkTags,
            }),
            OpenModelProvider.OpenAICompatible => new OpenAICompatibleChatClient(endpoint, options.Model, httpClient, new OpenAICompatibleClientOptions
            {
                ApiKey = NullIfEmpty(options.ApiKey),
                SplitThinkTags = options.ThinkTags,
            }),
            OpenModelProvider.Ollama => new OllamaChatClient(endpoint, options.Model, httpClient, new OllamaChatClientOptions
            {
                ApiKey = NullIfEmpty(options.ApiKey),
                SplitThinkTags = options.ThinkTags,
                LoggerFactory = loggerFactory,
            }),
            _ => throw new NotSupportedException($"Provider '{provider}' is not available in this version of OpenModelClient yet."),
        };
    }

    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenModelClientOptions options, HttpClient? httpClient)
    {
        var provider = Parse(options);
        var endpoint = Endpoint(options, provider);
        string? model = NullIfEmpty(options.EmbeddingModel) ?? NullIfEmpty(options.Model);
        return provider switch
        {
            OpenModelProvider.LlamaCpp => new LlamaCppEmbeddingGenerator(endpoint, model, httpClient, new LlamaCppClientOptions { ApiKey = NullIfEmpty(options.ApiKey) }),
            OpenModelProvider.OpenAICompatible => new OpenAICompatibleEmbeddingGenerator(endpoint, model, httpClient, new OpenAICompatibleClientOptions { ApiKey = NullIfEmpty(options.ApiKey) }),
            OpenModelProvider.Ollama => new OllamaEmbeddingGenerator(endpoint, model, httpClient, new OllamaEmbeddingGeneratorOptions { ApiKey = NullIfEmpty(options.ApiKey) }),
            _ => throw new NotSupportedException($"Provider '{provider}' is not available in this version of OpenModelClient yet."),
        };
    }

    /// <summary>Reads <c>Provider=…;Endpoint=…;Model=…</c> into options; unknown keys are reported by name like section keys.</summary>
    public static void ApplyConnectionString(string connectionString, OpenModelClientOptions options, string sectionPath)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in builder.Keys)
        {
            OpenModelOptionsBinder.Apply(options, key, builder[key]?.ToString() ?? string.Empty, sectionPath);
        }
    }

    private static Uri Endpoint(OpenModelClientOptions options, OpenModelProvider provider) =>
        NullIfEmpty(options.Endpoint) is { } endpoint ? new Uri(endpoint, UriKind.Absolute)
        : provider == OpenModelProvider.Ollama ? OllamaDefaultEndpoint
        : throw new InvalidOperationException($"Provider '{provider}' needs an Endpoint.");

    private static OpenModelProvider Parse(OpenModelClientOptions options) =>
        TryParseProvider(options.Provider, out var provider) ? provider : throw new InvalidOperationException($"Unknown provider '{options.Provider}'.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
