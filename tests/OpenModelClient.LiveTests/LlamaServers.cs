using System.Collections.Concurrent;

[assembly: AssemblyFixture(typeof(OpenModelClient.LiveTests.LlamaServers))]

namespace OpenModelClient.LiveTests;

/// <summary>The servers shared by the whole live run: each configuration starts on first use and stops (by PID) when the run ends, whatever the tests did.</summary>
public sealed class LlamaServers : IAsyncDisposable
{
    /// <summary>The key of <see cref="LiveServer.Authenticated"/>.</summary>
    public const string ApiKey = "live-test-key-5f2c";

    /// <summary>The model name the router serves.</summary>
    public const string RouterModel = "tiny";

    private const string Qwen25 = "templates/Qwen-Qwen2.5-7B-Instruct.jinja";
    private readonly ConcurrentDictionary<LiveServer, Lazy<Task<LlamaServerProcess>>> _servers = new();
    private string? _routerModels;

    /// <summary>Gets the server of a configuration, starting it on first use.</summary>
    public Task<LlamaServerProcess> GetAsync(LiveServer server)
    {
        LlamaServerBinary.SkipWhenAbsent();
        return _servers.GetOrAdd(server, s => new Lazy<Task<LlamaServerProcess>>(() => StartAsync(s))).Value;
    }

    /// <summary>The flags of a chat server with the Qwen2.5 template (tools, no thinking).</summary>
    public static string[] ChatArguments(int contextSize, int slots) =>
        ["-c", contextSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "-np", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--jinja", "--chat-template-file", Qwen25, "--metrics", "--slots"];

    private Task<LlamaServerProcess> StartAsync(LiveServer server) => server switch
    {
        LiveServer.Chat => LlamaServerProcess.StartAsync(ChatArguments(4096, 4)),
        LiveServer.Reasoning => LlamaServerProcess.StartAsync(["-c", "2048", "-np", "2", "--jinja", "--chat-template-file", "templates/Qwen3.5-4B.jinja", "--reasoning-format", "deepseek"]),
        LiveServer.Embeddings => LlamaServerProcess.StartAsync(["-c", "1024", "--embeddings", "--pooling", "mean"]),
        LiveServer.Authenticated => LlamaServerProcess.StartAsync(ChatArguments(1024, 1), ApiKey),
        LiveServer.SmallContext => LlamaServerProcess.StartAsync(ChatArguments(256, 1)),
        LiveServer.Router => StartRouterAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(server)),
    };

    private Task<LlamaServerProcess> StartRouterAsync()
    {
        _routerModels = Directory.CreateTempSubdirectory("openmodel-llama-router-").FullName;
        File.Copy(Path.Combine(LlamaServerBinary.Folder!, "models", "tiny-chatml.gguf"), Path.Combine(_routerModels, RouterModel + ".gguf"));
        return LlamaServerProcess.StartAsync(["--models-dir", _routerModels, "-c", "1024"], withModel: false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _servers.Values.Where(l => l.IsValueCreated))
        {
            try
            {
                await (await lazy.Value).DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A server that never started has nothing to stop.
            }
        }

        if (_routerModels is not null)
        {
            Directory.Delete(_routerModels, recursive: true);
        }
    }
}
