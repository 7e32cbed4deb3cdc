using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenModelClient.LiveTests;

/// <summary>
/// One real <c>llama-server</c> on a free loopback port, started from the shared build with its log in a temp folder and stopped by
/// its own PID (the whole process tree: a router's children too) on dispose, and at process exit for any a failed test left behind.
/// </summary>
public sealed class LlamaServerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly string _logFolder;

    static LlamaServerProcess()
    {
        // Fixtures stop their servers on dispose; these catch a run that ends without disposing them (a crash, a forced exit).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => StopAll();
    }

    private LlamaServerProcess(Process process, Uri endpoint, string logFolder, string? apiKey)
    {
        _process = process;
        _logFolder = logFolder;
        Endpoint = endpoint;
        ApiKey = apiKey;
    }

    /// <summary>Gets the server root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Gets the key the server demands, or <see langword="null"/>.</summary>
    public string? ApiKey { get; }

    /// <summary>Gets the process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a server with <paramref name="arguments"/> after the model, host, port and thread flags, and waits until <c>/health</c> says it is ready.</summary>
    /// <param name="arguments">The flags for the feature under test; paths under <c>templates/</c> and <c>models/</c> are relative to the shared folder.</param>
    /// <param name="apiKey">The key to start it with (<c>--api-key</c>), or <see langword="null"/>.</param>
    /// <param name="withModel">Whether to pass <c>-m models/tiny-chatml.gguf</c> (a router gets <c>--models-dir</c> instead).</param>
    /// <param name="port">The port to listen on, for a test that must stay in a port range; <see langword="null"/> for any free one.</param>
    public static async Task<LlamaServerProcess> StartAsync(IEnumerable<string> arguments, string? apiKey = null, bool withModel = true, int? port = null)
    {
        LlamaServerBinary.SkipWhenAbsent();
        var list = arguments.ToList();
        Exception? last = null;
        // A probed port can be taken before the server binds it: a server that exits at once is started again on another.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await TryStartAsync(list, apiKey, withModel, port);
            }
            catch (InvalidOperationException e) when (e.Data.Contains("exited"))
            {
                last = e;
            }
        }

        throw last!;
    }

    private static async Task<LlamaServerProcess> TryStartAsync(List<string> arguments, string? apiKey, bool withModel, int? fixedPort)
    {
        string folder = LlamaServerBinary.Folder!;
        int port = fixedPort ?? FreePort();
        string logFolder = Directory.CreateTempSubdirectory("openmodel-llama-live-").FullName;
        var start = new ProcessStartInfo(LlamaServerBinary.Executable!)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        if (withModel)
        {
            start.ArgumentList.Add("-m");
            start.ArgumentList.Add(Path.Combine(folder, "models", "tiny-chatml.gguf"));
        }

        // One thread each: on a busy machine two spinning threads per server slow every token a thousandfold.
        foreach (string argument in new[] { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "1", "-tb", "1" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument.StartsWith("templates/", StringComparison.Ordinal) ? Path.Combine(folder, argument) : argument);
        }

        if (apiKey is not null)
        {
            start.ArgumentList.Add("--api-key");
            start.ArgumentList.Add(apiKey);
        }

        var log = new StreamWriter(Path.Combine(logFolder, "server.log")) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LlamaServerProcess(process, new Uri($"http://127.0.0.1:{port}"), logFolder, apiKey);
        try
        {
            // Readiness through the library's own API, given up as soon as the process exits (a port taken meanwhile, a bad flag).
            using var exited = new CancellationTokenSource();
            using var health = new LlamaCppServer(server.Endpoint);
            var ready = health.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), exited.Token);
            if (await Task.WhenAny(ready, process.WaitForExitAsync()) != ready)
            {
                await exited.CancelAsync();
            }

            try
            {
                await ready;
            }
            catch (OperationCanceledException)
            {
                var error = new InvalidOperationException($"llama-server exited with code {process.ExitCode} before it was ready; its log: {server.LogTail()}");
                error.Data["exited"] = true;
                throw error;
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server at once (the whole process tree), e.g. in the middle of a stream.</summary>
    public void Kill() => Stop(_process);

    /// <summary>Gets the last lines of the server's log.</summary>
    public string LogTail()
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(_logFolder, "server.log"));
            return text.Length <= 2000 ? text : text[^2000..];
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed and not yet reaped after 10 s: nothing more to do from here.
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
        try
        {
            Directory.Delete(_logFolder, recursive: true);
        }
        catch (IOException)
        {
            // The log may still be held open by the output pump for a moment; a temp folder left behind is harmless.
        }
    }

    private static void StopAll()
    {
        foreach (var process in Running.Values)
        {
            Stop(process);
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
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
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The server is being disposed.
            }
        }
    }

    /// <summary>Gets a loopback port nothing listens on (at the moment of asking).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
