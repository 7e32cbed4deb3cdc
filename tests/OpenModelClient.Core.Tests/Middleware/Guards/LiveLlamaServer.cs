using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>
/// The real llama.cpp server (a <c>llama-server</c> build that CI places in a folder beside the repository), started on 127.0.0.1 with a
/// free port and stopped by its own PID on dispose. <see cref="TryStartAsync"/> returns <see langword="null"/> when the binary is absent.
/// </summary>
internal sealed class LiveLlamaServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logDirectory;

    private LiveLlamaServer(Process process, Uri baseAddress, string logDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        _logDirectory = logDirectory;
    }

    public Uri BaseAddress { get; }

    public static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "llama-server");
            if (File.Exists(Path.Combine(candidate, "bin", "llama-server")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts the server with <paramref name="arguments"/> after the model, host and port; waits until <c>/health</c> answers 200.</summary>
    public static async Task<LiveLlamaServer?> TryStartAsync(string arguments, CancellationToken cancellationToken)
    {
        if (FindRoot() is not { } root || !OperatingSystem.IsLinux())
        {
            return null;
        }

        string logs = Directory.CreateTempSubdirectory("llama-server-").FullName;
        int port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(root, "bin", "llama-server"))
        {
            Arguments = $"-m \"{Path.Combine(root, "models", "tiny-chatml.gguf")}\" --host 127.0.0.1 --port {port} {arguments.Replace("{root}", root, StringComparison.Ordinal)} --log-file \"{Path.Combine(logs, "server.log")}\"",
            WorkingDirectory = logs,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("llama-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LiveLlamaServer(process, new Uri($"http://127.0.0.1:{port}/"), logs);
        try
        {
            using var http = new HttpClient();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"llama-server exited with code {process.ExitCode}; see {logs}.");
                }

                try
                {
                    using var health = await http.GetAsync(new Uri(server.BaseAddress, "health"), deadline.Token);
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(50, deadline.Token);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_logDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a log still open: the temp folder is cleaned later
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
