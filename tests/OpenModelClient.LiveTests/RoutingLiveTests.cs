using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.LiveTests;

/// <summary>Prefix affinity over two real llama-server replicas: a conversation's later turns find their prefix in the cache of
/// the replica that served the earlier ones.</summary>
public sealed class RoutingLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("PrefixAffinity")]
    [InlineData("RoundRobin")]
    public async Task Later_turns_are_served_from_the_replicas_prompt_cache_with_affinity(string strategy)
    {
        await using var a = await LlamaServerProcess.StartAsync(LlamaServers.ChatArguments(4096, 1), port: ScalePorts.Next());
        await using var b = await LlamaServerProcess.StartAsync(LlamaServers.ChatArguments(4096, 1), port: ScalePorts.Next());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = "http://llama",
            ["OpenModel:ServiceDiscovery"] = "true",
            ["OpenModel:Routing:Strategy"] = strategy,
            ["OpenModel:CapabilityGuard"] = "false",
            ["Services:llama:http:0"] = a.Endpoint.Authority,
            ["Services:llama:http:1"] = b.Endpoint.Authority,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        // Three conversations, turns interleaved: round-robin moves each one to the other replica on every turn.
        var histories = Enumerable.Range(0, 3).Select(c => new List<ChatMessage>
        {
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, $"Ticket {c}: " + string.Concat(Enumerable.Range(0, 20).Select(i => $"item {c * 7919 + i} was due on day {i}; "))),
        }).ToList();
        var options = new ChatOptions { MaxOutputTokens = 4, Seed = 3, Temperature = 0 };
        long input = 0, cached = 0;
        for (int turn = 1; turn <= 3; turn++)
        {
            for (int c = 0; c < histories.Count; c++)
            {
                var response = await client.GetResponseAsync(histories[c], options, Ct);
                if (turn > 1)
                {
                    input += response.Usage?.InputTokenCount ?? 0;
                    cached += response.Usage?.CachedInputTokenCount ?? 0;
                }

                histories[c].AddRange(response.Messages);
                histories[c].Add(new ChatMessage(ChatRole.User, $"Follow-up {turn}?"));
            }
        }

        double share = cached / (double)input;
        if (strategy == "PrefixAffinity")
        {
            Assert.True(share > 0.8, $"only {share:P0} of later turns' input tokens came from the cache with affinity");
        }
        else
        {
            Assert.True(share < 0.5, $"{share:P0} of later turns' input tokens came from the cache with round-robin; the conversations did not move");
        }
    }
}
