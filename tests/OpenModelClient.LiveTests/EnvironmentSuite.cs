
namespace OpenModelClient.LiveTests;

/// <summary>
/// The suite against an endpoint of your own, given by <c>OPENMODEL_TEST_&lt;PROVIDER&gt;_ENDPOINT</c>, <c>_MODEL</c>, <c>_APIKEY</c>
/// (and optionally <c>_EMBEDDING_MODEL</c>, and <c>_REASONING=1</c> for a model that reasons). Every test skips when the endpoint is unset.
/// The client is built through configuration, as an application would. Tests that need a server the suite controls (a small context,
/// a router, a server killed mid-stream) skip.
/// </summary>
public abstract class EnvironmentSuite(string provider) : ConformanceSuite
{
    private string Variable(string name) => Environment.GetEnvironmentVariable($"OPENMODEL_TEST_{provider.ToUpperInvariant()}_{name}") is { Length: > 0 } value ? value : null!;

    private string? Endpoint => Variable("ENDPOINT");

    /// <inheritdoc />
    protected override string? Model => Variable("MODEL");

    /// <inheritdoc />
    protected override bool HasServerTimings => provider == "Ollama";

    /// <inheritdoc />
    protected override bool HasReasoning => Variable("REASONING") is "1" or "true";

    /// <inheritdoc />
    protected override Task<LiveClient> ClientAsync(LiveServer server, string? apiKey = null, string? model = null)
    {
        if (Endpoint is null)
        {
            Assert.Skip($"OPENMODEL_TEST_{provider.ToUpperInvariant()}_ENDPOINT is not set (and _MODEL, _APIKEY as the provider needs)");
        }

        switch (server)
        {
            case LiveServer.SmallContext or LiveServer.Router:
                Assert.Skip("needs a server the suite starts itself: llama.cpp only");
                break;
            case LiveServer.Authenticated when Variable("APIKEY") is null:
                Assert.Skip($"OPENMODEL_TEST_{provider.ToUpperInvariant()}_APIKEY is not set: the endpoint takes no key");
                break;
            case LiveServer.Embeddings when Variable("EMBEDDING_MODEL") is null:
                Assert.Skip($"OPENMODEL_TEST_{provider.ToUpperInvariant()}_EMBEDDING_MODEL is not set");
                break;
        }

        return Task.FromResult(Build(Endpoint!, apiKey ?? Variable("APIKEY"), model ?? Model));
    }

    /// <inheritdoc />
    protected override LiveClient RefusedClient(Uri endpoint)
    {
        if (Endpoint is null)
        {
            Assert.Skip($"OPENMODEL_TEST_{provider.ToUpperInvariant()}_ENDPOINT is not set");
        }

        return Build(endpoint.ToString(), Variable("APIKEY"), Model ?? "any");
    }

    private LiveClient Build(string endpoint, string? apiKey, string? model)
    {
        return LiveClient.Configured(
            new Dictionary<string, string?>
            {
                ["Provider"] = provider,
                ["Endpoint"] = endpoint,
                ["Model"] = model,
                ["EmbeddingModel"] = Variable("EMBEDDING_MODEL"),
                ["ApiKey"] = apiKey,
            },
            embeddings: Variable("EMBEDDING_MODEL") is not null);
    }
}

/// <summary>Your Ollama (<c>OPENMODEL_TEST_OLLAMA_ENDPOINT</c>, <c>_MODEL</c>).</summary>
public sealed class OllamaConformance() : EnvironmentSuite("Ollama");

/// <summary>DeepSeek (<c>OPENMODEL_TEST_DEEPSEEK_ENDPOINT</c>, <c>_MODEL</c>, <c>_APIKEY</c>).</summary>
public sealed class DeepSeekConformance() : EnvironmentSuite("DeepSeek");

/// <summary>Qwen on Model Studio (<c>OPENMODEL_TEST_QWEN_ENDPOINT</c>, <c>_MODEL</c>, <c>_APIKEY</c>).</summary>
public sealed class QwenConformance() : EnvironmentSuite("Qwen");

/// <summary>Any OpenAI-compatible server (<c>OPENMODEL_TEST_OPENAICOMPATIBLE_ENDPOINT</c>, <c>_MODEL</c>, <c>_APIKEY</c>).</summary>
public sealed class OpenAICompatibleEnvironmentConformance() : EnvironmentSuite("OpenAICompatible");
