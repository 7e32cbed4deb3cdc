using BenchmarkDotNet.Running;
using OpenModelClient.Benchmarks;

// The scale figures (modelled fleet and embedding server) need no replay server and no BenchmarkDotNet job.
// --scale [path of a llama-server folder (bin/, models/, templates/) for the live replica run]
if (args is ["--scale", .. var rest])
{
    await ScaleHarness.RunAsync(rest.FirstOrDefault(), streams: false);
    return;
}

// --scale-streams [count]: 1,000 (or count) paced streams at once, against the replay server in its own process.
if (args is ["--scale-streams", .. var streamArgs])
{
    using var paced = ReplayServerProcess.Start([BenchmarkPayloads.StampedScenario(90, ndjson: false), BenchmarkPayloads.StampedScenario(90, ndjson: true)]);
    Environment.SetEnvironmentVariable(ReplayServerProcess.UrlVariable, paced.BaseAddress.ToString());
    await ScaleHarness.RunAsync(null, streams: true, streamArgs is [var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 1000);
    return;
}

// --scale-cost: the configured client's cost at 1,000 / 10,000 / 100,000 chunks (in memory) and its time to first update (in memory and
// over loopback, against the replay server in its own process), beside the floor, the bare client and the reference clients.
if (args is ["--scale-cost", ..])
{
    using var replay = ReplayServerProcess.Start([BenchmarkPayloads.FirstUpdate, BenchmarkPayloads.OllamaFirstUpdate]);
    await ScaleHarness.RunCostAsync(replay.BaseAddress);
    return;
}

// One replay server for the whole run, in its own process; BenchmarkDotNet's child processes find it through the environment.
// Every scenario a benchmark may request is built before the first measurement.
string[] prebuild =
[
    .. SseStreamingBenchmarks.ChunkCounts.Select(BenchmarkPayloads.TextScenario),
    .. SseStreamingBenchmarks.ChunkCounts.Select(BenchmarkPayloads.OllamaScenario),
    BenchmarkPayloads.Reasoning, BenchmarkPayloads.ToolCall, BenchmarkPayloads.FirstUpdate, BenchmarkPayloads.Chat,
    BenchmarkPayloads.Embeddings, BenchmarkPayloads.OllamaChat, BenchmarkPayloads.OllamaEmbeddings, BenchmarkPayloads.OllamaFirstUpdate,
];

using var server = ReplayServerProcess.Start(prebuild);
Environment.SetEnvironmentVariable(ReplayServerProcess.UrlVariable, server.BaseAddress.ToString());
Console.WriteLine($"Replay server (separate process): {server.BaseAddress}");

// The short job unless the command line picks jobs itself (--job, -j).
bool jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
BenchmarkSwitcher.FromAssembly(typeof(SseStreamingBenchmarks).Assembly).Run(args, BenchmarkConfig.Create(withShortJob: !jobGiven));
