using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Tests.Reliability;

/// <summary>Against the real llama-server (the build CI places beside the repository; skipped when absent): leaving a stream frees the server's slot at once.</summary>
public class LiveLlamaServerCancellationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leaving_a_stream_frees_the_llama_server_slot_at_once()
    {
        string? root = FindServerFolder();
        if (root is null)
        {
            Assert.Skip("llama-server is not available (../shared/llama-server/bin/llama-server).");
        }

        int port = FreePort();
        string logs = Directory.CreateTempSubdirectory("openmodel-live-").FullName;
        string binary = Path.Combine(root, "bin", "llama-server");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(binary).HasFlag(UnixFileMode.UserExecute))
        {
            // The shared folder may be laid out without run bits: run a copy.
            File.Copy(binary, binary = Path.Combine(logs, "llama-server"));
            File.SetUnixFileMode(binary, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute);
        }

        using var server = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "-m", Path.Combine(root, "models", "tiny-chatml.gguf"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c", "4096", "-np", "1", "--jinja", "--chat-template-file", Path.Combine(root, "templates", "Qwen-Qwen2.5-7B-Instruct.jinja"), "--slots",
                "--log-file", Path.Combine(logs, "server.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var endpoint = new Uri($"http://127.0.0.1:{port}/");
            using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilReadyAsync(http);
            await using var services = HostileWire.Client("LlamaCpp", endpoint, "unused-key", null);
            var client = services.GetRequiredService<IChatClient>();

            // A long generation (3,000 tokens), left after its first three pieces.
            int pieces = 0;
            await foreach (var update in client.GetStreamingResponseAsync("Tell me a long story.", new ChatOptions { MaxOutputTokens = 3000, Seed = 3 }, Ct))
            {
                if (++pieces == 3)
                {
                    break;
                }
            }

            // Read on to reuse the connection, the abandoned response kept the slot generating for the handler's 2 s drain time
            // (measured: freed 2.2-3.0 s after the caller left); closed at once, the server stops at its next token (0.15-1.1 s on a loaded machine).
            var left = Stopwatch.StartNew();
            JsonElement slot;
            do
            {
                await Task.Delay(20, Ct);
                slot = JsonDocument.Parse(await http.GetStringAsync(new Uri("slots", UriKind.Relative), Ct)).RootElement[0];
            }
            while (slot.GetProperty("is_processing").GetBoolean() && left.Elapsed < TimeSpan.FromSeconds(10));

            TestContext.Current.TestOutputHelper?.WriteLine($"slot freed {left.Elapsed.TotalMilliseconds:F0} ms after the caller left");
            Assert.False(slot.GetProperty("is_processing").GetBoolean(), "the slot is still generating 10 s after the caller left");
            Assert.True(left.Elapsed < TimeSpan.FromSeconds(1.8), $"the slot was freed {left.Elapsed.TotalMilliseconds:F0} ms after the caller left, as late as a drained response");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            Directory.Delete(logs, recursive: true);
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), Ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("llama-server did not become ready within 30 s");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // CI places the llama-server build in a folder beside the repository; a worktree of the repository finds it the same way.
    private static string? FindServerFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "llama-server");
            if (File.Exists(Path.Combine(candidate, "bin", "llama-server")) && File.Exists(Path.Combine(candidate, "models", "tiny-chatml.gguf")))
            {
                return candidate;
            }
        }

        return null;
    }
}
