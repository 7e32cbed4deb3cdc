using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>The real llama.cpp server from <c>shared/llama-server</c> beside the repository, started on loopback for one test class
/// and stopped by its own PID. Tests skip cleanly when the binary is not there.</summary>
internal sealed class LiveLlamaServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _logDirectory;

    private LiveLlamaServer(Process process, Uri endpoint, string logDirectory)
    {
        _process = process;
        Endpoint = endpoint;
        _logDirectory = logDirectory;
    }

    /// <summary>Gets the folder holding <c>bin/</c>, <c>models/</c> and <c>templates/</c>, or <see langword="null"/> when it is absent.</summary>
    public static string? Home { get; } = FindHome();

    public static string TinyModel => Path.Combine(Home!, "models", "tiny-chatml.gguf");

    public static string Template(string name) => Path.Combine(Home!, "templates", name);

    public Uri Endpoint { get; }

    public string Log => File.Exists(Path.Combine(_logDirectory, "server.log")) ? File.ReadAllText(Path.Combine(_logDirectory, "server.log")) : "";

    /// <summary>Skips the calling test when the server binary is absent.</summary>
    public static void SkipIfAbsent() =>
        Assert.SkipWhen(Home is null, "shared/llama-server/bin/llama-server is not beside the repository: the live llama.cpp tests are skipped.");

    /// <summary>Starts the server with a chat model (the Qwen2.5 template: tools, no thinking) plus <paramref name="extra"/> flags.</summary>
    public static Task<LiveLlamaServer> StartChatAsync(params string[] extra) =>
        StartAsync(["-m", TinyModel, "-c", "2048", "-np", "2", "--jinja", "--chat-template-file", Template("Qwen-Qwen2.5-7B-Instruct.jinja"), .. extra]);

    /// <summary>Starts the server with the given flags (host and port are added) and waits until <c>/health</c> answers 200.</summary>
    public static async Task<LiveLlamaServer> StartAsync(IReadOnlyList<string> arguments, bool waitForHealth = true)
    {
        SkipIfAbsent();
        string logs = Directory.CreateTempSubdirectory("omc-llama-").FullName;
        int port = FreePort();
        var info = new ProcessStartInfo(Path.Combine(Home!, "bin", "llama-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--host");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("llama-server did not start");
        var log = new StreamWriter(Path.Combine(logs, "server.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LiveLlamaServer(process, new Uri($"http://127.0.0.1:{port}/"), logs);
        try
        {
            if (waitForHealth)
            {
                await server.WaitForHealthAsync();
            }

            return server;
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
                _process.Kill(entireProcessTree: true); // this server's own PID (and the children a router started)
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"llama-server exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"llama-server was not healthy within {StartTimeout}: {Log}");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string? FindHome()
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
