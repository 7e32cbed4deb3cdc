using System.Diagnostics;
using System.Reflection;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// The replay server as a child process, so that serving costs the measured process nothing. The host process starts one
/// and hands its address to BenchmarkDotNet's child processes through an environment variable; a process started
/// without one (a debugger, an in-process toolchain) starts its own.
/// </summary>
internal sealed class ReplayServerProcess : IDisposable
{
    public const string UrlVariable = "OPENMODELCLIENT_BENCH_REPLAY_URL";

    private static readonly Lazy<Uri> Shared = new(StartShared);
    private readonly Process _process;

    private ReplayServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the server this process should use: the host's, or one of its own that lives as long as the process.</summary>
    public static Uri Current => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? new Uri(url) : Shared.Value;

    /// <summary>Starts the server and waits until it listens; <paramref name="prebuild"/> names scenarios whose bodies it builds right away.</summary>
    public static ReplayServerProcess Start(IEnumerable<string> prebuild)
    {
        var path = FindServer();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var scenario in prebuild)
        {
            start.ArgumentList.Add(scenario);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {path}.");
        try
        {
            // A server that fails to start exits, which ends its output: this cannot hang.
            if (process.StandardOutput.ReadLine() is not { } line || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The replay server at {path} did not report its address.");
            }

            return new ReplayServerProcess(process, new Uri(line["LISTENING ".Length..]));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Closing its standard input is the server's signal to stop; killing is the fallback.
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static Uri StartShared()
    {
        var server = Start([]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server.BaseAddress;
    }

    private static string FindServer()
    {
        const string FileName = "OpenModelClient.Benchmarks.ReplayServer.dll";
        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside))
        {
            return beside;
        }

        var built = typeof(ReplayServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ReplayServerPath")?.Value;
        return built is not null && File.Exists(built)
            ? built
            : throw new FileNotFoundException($"Build tests/OpenModelClient.Benchmarks.ReplayServer first ({built ?? FileName} is missing).");
    }
}
