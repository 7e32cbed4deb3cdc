using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace OpenModelClient.Samples.Tests;

/// <summary>Runs a console sample's built dll in its own process, as <c>dotnet run</c> would, with output redirected.</summary>
internal static class SampleProcess
{
    private static readonly string OutputPattern = typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SamplesOutput").Value!;

    /// <summary>Runs the sample with these arguments; the sample sees no OpenModel, Profile(s) or OTEL variables but those given.</summary>
    /// <param name="sample">The sample's folder name, e.g. <c>Chat</c>.</param>
    /// <param name="args">The command line after <c>--</c>.</param>
    /// <param name="environment">Variables to set for the run.</param>
    /// <param name="input">What to pipe into the sample's standard input; none by default (it is closed at once).</param>
    public static async Task<SampleResult> RunAsync(string sample, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? input = null)
    {
        string dll = OutputPattern.Replace("{0}", sample, StringComparison.Ordinal);
        Assert.True(File.Exists(dll), $"The {sample} sample is not built: {dll} is missing.");

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The developer's own settings must not leak into the run.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("OpenModel", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Profile", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        // A safety net for a hung sample, not a measurement: the runs take about a second.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new SampleResult(process.ExitCode, await output, await error);
    }

    // The muxer that runs this test process, so the sample runs on the same runtime.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
