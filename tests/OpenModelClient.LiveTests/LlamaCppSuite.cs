using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Conformance;

namespace OpenModelClient.LiveTests;

/// <summary>The suite against real llama-server processes, through one of four client paths (direct or configured, as LlamaCpp or as OpenAICompatible).</summary>
public abstract class LlamaCppSuite(LlamaServers servers, string provider, bool configured) : ConformanceSuite
{
    /// <summary>The end-of-turn token of the shared tiny model (<c>&lt;|im_end|&gt;</c>), as its /tokenize reports.</summary>
    private const int EndOfTurn = 31992;

    /// <inheritdoc />
    protected override string? Model => provider == "OpenAICompatible" ? "tiny-chatml" : null;

    /// <inheritdoc />
    protected override async Task<LiveClient> ClientAsync(LiveServer server, string? apiKey = null, string? model = null)
    {
        var process = await servers.GetAsync(server);
        return Build(process.Endpoint, apiKey ?? process.ApiKey, model ?? (server == LiveServer.Router ? LlamaServers.RouterModel : Model), server == LiveServer.Embeddings);
    }

    /// <inheritdoc />
    protected override LiveClient RefusedClient(Uri endpoint) => Build(endpoint, null, Model, embeddings: false);

    /// <inheritdoc />
    protected override async Task<LlamaServerProcess?> ServerAsync(LiveServer server) => await servers.GetAsync(server);

    /// <inheritdoc />
    protected override bool CanStartServers => true;

    /// <inheritdoc />
    protected override async Task<(LlamaServerProcess Server, LiveClient Client)> OwnServerAsync()
    {
        var process = await LlamaServerProcess.StartAsync(LlamaServers.ChatArguments(1024, 1));
        return (process, Build(process.Endpoint, null, Model, embeddings: false));
    }

    /// <inheritdoc />
    protected override async Task<Action<ConformanceCheck, IList<ChatMessage>, ChatOptions>?> ToolHookAsync()
    {
        // The random model never opens a tool call by itself: the prefill opens it, the server's grammar shapes it, and the bias on
        // <|im_end|> ends the turn right after it. The id comes from the server's own tokenizer, through the library.
        using var management = new LlamaCppServer((await servers.GetAsync(LiveServer.Chat)).Endpoint);
        var tokens = await management.TokenizeAsync("<|im_end|>", cancellationToken: Ct);
        Assert.Equal([EndOfTurn], tokens);
        return ConformanceRequestHooks.HermesToolCallPrefill(tokens[0]);
    }

    /// <inheritdoc />
    protected override JsonObject? KeepTalking() => new() { [EndOfTurn.ToString(CultureInfo.InvariantCulture)] = -100 };

    private LiveClient Build(Uri root, string? apiKey, string? model, bool embeddings)
    {
        bool openAI = provider == "OpenAICompatible";
        if (!configured)
        {
            if (openAI)
            {
                var options = new OpenAICompatibleClientOptions { ApiKey = apiKey };
                var v1 = new Uri(root, "v1");
                return new LiveClient(new OpenAICompatibleChatClient(v1, model, null, options), embeddings ? new OpenAICompatibleEmbeddingGenerator(v1, model, null, options) : null, null);
            }

            var llama = new LlamaCppClientOptions { ApiKey = apiKey };
            return new LiveClient(new LlamaCppChatClient(root, model, null, llama), embeddings ? new LlamaCppEmbeddingGenerator(root, model, null, llama) : null, null);
        }

        return LiveClient.Configured(
            new Dictionary<string, string?>
            {
                ["Provider"] = provider,
                ["Endpoint"] = openAI ? new Uri(root, "v1").ToString() : root.ToString(),
                ["Model"] = model,
                ["ApiKey"] = apiKey,

                // The random model spends any small budget on reasoning; the suite checks the wire, the answer-room guard has its own tests.
                ["Guards:AnswerRoom:Enabled"] = "false",
            },
            embeddings);
    }
}

/// <summary>llama.cpp through <see cref="LlamaCppChatClient"/>'s constructor.</summary>
public sealed class LlamaCppDirectConformance(LlamaServers servers) : LlamaCppSuite(servers, "LlamaCpp", configured: false);

/// <summary>llama.cpp through <c>AddOpenModelChatClient</c> with <c>Provider: LlamaCpp</c>.</summary>
public sealed class LlamaCppConfiguredConformance(LlamaServers servers) : LlamaCppSuite(servers, "LlamaCpp", configured: true);

/// <summary>llama-server's <c>/v1</c> through <see cref="OpenAICompatibleChatClient"/>'s constructor.</summary>
public sealed class OpenAICompatibleDirectConformance(LlamaServers servers) : LlamaCppSuite(servers, "OpenAICompatible", configured: false);

/// <summary>llama-server's <c>/v1</c> through <c>AddOpenModelChatClient</c> with <c>Provider: OpenAICompatible</c>.</summary>
public sealed class OpenAICompatibleConfiguredConformance(LlamaServers servers) : LlamaCppSuite(servers, "OpenAICompatible", configured: true);
