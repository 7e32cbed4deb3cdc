using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Failover;

/// <summary>Several replicas of one model behind one logical endpoint, through Microsoft.Extensions.ServiceDiscovery.</summary>
public class ReplicaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(params string[] replicas)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = "http://llama",
            ["OpenModel:ServiceDiscovery"] = "true",
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
        };
        for (int i = 0; i < replicas.Length; i++)
        {
            values[$"Services:llama:http:{i}"] = replicas[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Requests_are_spread_over_the_replicas()
    {
        var ok = ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length");
        await using var a = await ReplayServer.StartAsync(ok, ok, ok, ok);
        await using var b = await ReplayServer.StartAsync(ok, ok, ok, ok);
        await using var provider = Build(a.BaseAddress.Authority, b.BaseAddress.Authority);
        var client = provider.GetRequiredService<IChatClient>();

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(ChatFinishReason.Length, (await client.GetResponseAsync("hi", cancellationToken: Ct)).FinishReason);
        }

        Assert.NotEmpty(a.Requests);
        Assert.NotEmpty(b.Requests);
        Assert.Equal(4, a.Requests.Count + b.Requests.Count);
    }

    [Fact]
    public async Task A_dead_replica_is_skipped_by_the_retry()
    {
        var ok = ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length");
        await using var live = await ReplayServer.StartAsync(ok, ok, ok, ok);
        await using var provider = Build("127.0.0.1:1", live.BaseAddress.Authority);
        var client = provider.GetRequiredService<IChatClient>();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(ChatFinishReason.Length, (await client.GetResponseAsync("hi", cancellationToken: Ct)).FinishReason);
        }

        Assert.Equal(3, live.Requests.Count);
    }
}
