using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Benchmarks;

/// <summary>Multi-turn conversations through one configured client over four real llama-server replicas (ports 18310-18313 on
/// 127.0.0.1, one thread each): the share of later turns' input tokens the servers report as served from their cache
/// (<c>timings.cache_n</c>), round-robin against prefix affinity, each on freshly started replicas.</summary>
internal static class LiveAffinityRun
{
    public sealed record Result(string Strategy, double CachedShare, long InputTokens, long CachedTokens);

    public static async Task<List<Result>> RunAsync(string llamaServerFolder, int conversations = 13, int turns = 5)
    {
        var results = new List<Result>();
        foreach (string strategy in new[] { "RoundRobin", "PrefixAffinity" })
        {
            var servers = new List<Process>();
            try
            {
                for (int i = 0; i < 4; i++)
                {
                    servers.Add(await StartAsync(llamaServerFolder, 18310 + i));
                }

                results.Add(await ConverseAsync(strategy, conversations, turns));
            }
            finally
            {
                foreach (var server in servers)
                {
                    server.Kill();
                    await server.WaitForExitAsync();
                    server.Dispose();
                }
            }
        }

        return results;
    }

    private static async Task<Result> ConverseAsync(string strategy, int conversations, int turns)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = "http://llama",
            ["OpenModel:ServiceDiscovery"] = "true",
            ["OpenModel:Routing:Strategy"] = strategy,
            ["OpenModel:CapabilityGuard"] = "false",
        };
        for (int i = 0; i < 4; i++)
        {
            values[$"Services:llama:http:{i}"] = $"127.0.0.1:{18310 + i}";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        // 13 conversations over 4 replicas: round-robin moves each one on every turn (with 12 it would, by accident, never move).
        // The system prompt is short and the conversations' own text long, so a shared prefix cannot pass for a conversation's.
        const string system = "You are a support agent.";
        var histories = Enumerable.Range(0, conversations).Select(c => new List<ChatMessage>
        {
            new(ChatRole.System, system),
            new(ChatRole.User, $"Ticket {c}: " + string.Concat(Enumerable.Range(0, 25).Select(i => $"item {c * 7919 + i} of order {c} was due on day {c + i}; "))),
        }).ToList();
        var options = new ChatOptions { MaxOutputTokens = 8, Seed = 3, Temperature = 0 };
        long input = 0, cached = 0;
        for (int turn = 1; turn <= turns; turn++)
        {
            for (int c = 0; c < conversations; c++)
            {
                var response = await client.GetResponseAsync(histories[c], options);
                if (turn > 1)
                {
                    input += response.Usage?.InputTokenCount ?? 0;
                    cached += response.Usage?.CachedInputTokenCount ?? 0;
                }

                histories[c].AddRange(response.Messages);
                histories[c].Add(new ChatMessage(ChatRole.User, $"Follow-up {turn} on ticket {c}: any news?"));
            }
        }

        return new Result(strategy, cached / (double)Math.Max(1, input), input, cached);
    }

    private static async Task<Process> StartAsync(string folder, int port)
    {
        var start = new ProcessStartInfo(Path.Combine(folder, "bin", "llama-server")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (string argument in new[]
        {
            "-m", Path.Combine(folder, "models", "tiny-chatml.gguf"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "-t", "1", "-tb", "1", "-c", "8192", "-np", "2", "--jinja", "--chat-template-file", Path.Combine(folder, "templates", "Qwen-Qwen2.5-7B-Instruct.jinja"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (int i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"))).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new InvalidOperationException($"llama-server on port {port} was not ready within 30 s");
    }
}
