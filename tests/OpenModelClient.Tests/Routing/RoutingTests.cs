using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Concurrency;

namespace OpenModelClient.Tests.Routing;

/// <summary>Replica routing (<c>Routing:*</c>) over real Kestrel replicas resolved by service discovery.</summary>
public class RoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(IReadOnlyList<SlotServer> replicas, params (string Key, string Value)[] settings) =>
        ConfiguredClient.Build(new Uri("http://llama"), [
            ("ServiceDiscovery", "true"),
            .. replicas.Select((r, i) => ($"Services:llama:http:{i}", r.BaseAddress.Authority)),
            .. settings]);

    private static List<ChatMessage> Conversation(int id, int turns)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are terse."), new(ChatRole.User, $"Conversation {id}: tell me about topic {id * 7919}.") };
        for (int t = 1; t < turns; t++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, $"answer {t}"));
            messages.Add(new ChatMessage(ChatRole.User, $"and turn {t}?"));
        }

        return messages;
    }

    private static async Task<SlotServer[]> StartReplicasAsync(int count, bool hold)
    {
        var servers = new SlotServer[count];
        for (int i = 0; i < count; i++)
        {
            servers[i] = await SlotServer.StartAsync($"replica-{i}", Ct);
            servers[i].Hold = hold;
        }

        return servers;
    }

    private static async Task StopAsync(SlotServer[] servers)
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task PrefixAffinity_keeps_every_turn_of_a_conversation_on_one_replica_and_spreads_conversations()
    {
        var replicas = await StartReplicasAsync(3, hold: false);
        try
        {
            await using var provider = Build(replicas, ("Routing:Strategy", "PrefixAffinity"));
            var client = provider.Chat();
            for (int conversation = 0; conversation < 12; conversation++)
            {
                for (int turn = 1; turn <= 4; turn++)
                {
                    _ = turn % 2 == 0
                        ? await client.GetStreamingResponseAsync(Conversation(conversation, turn), cancellationToken: Ct).ToChatResponseAsync(Ct)
                        : await client.GetResponseAsync(Conversation(conversation, turn), cancellationToken: Ct);
                }
            }

            var homes = Enumerable.Range(0, 12).Select(c => replicas.Where(r => r.Bodies.Any(b => b.ToJsonString().Contains($"Conversation {c}:", StringComparison.Ordinal))).ToList()).ToList();
            Assert.All(homes, h => Assert.Single(h)); // sticky: all four turns, streamed or not, on one replica
            Assert.All(homes, h => Assert.Equal(4, h[0].Bodies.Count(b => b.ToJsonString().Contains($"Conversation {homes.IndexOf(h)}:", StringComparison.Ordinal))));
            Assert.True(homes.Select(h => h[0]).Distinct().Count() >= 2, "twelve conversations all hashed to one replica");
        }
        finally
        {
            await StopAsync(replicas);
        }
    }

    [Fact]
    public async Task RoundRobin_stays_the_default_and_moves_a_conversation_between_replicas()
    {
        var replicas = await StartReplicasAsync(2, hold: false);
        try
        {
            await using var provider = Build(replicas);
            var client = provider.Chat();
            for (int turn = 1; turn <= 4; turn++)
            {
                await client.GetResponseAsync(Conversation(1, turn), cancellationToken: Ct);
            }

            Assert.All(replicas, r => Assert.Equal(2, r.Received));
        }
        finally
        {
            await StopAsync(replicas);
        }
    }

    [Theory]
    [InlineData("1", 1)] // at most the average load: the second call spills to the idle replica
    [InlineData("2", 2)] // up to twice the average: both stay on the preferred replica
    public async Task A_busy_preferred_replica_spills_to_the_least_busy_one_by_LoadFactor(string loadFactor, int onPreferred)
    {
        var replicas = await StartReplicasAsync(2, hold: true);
        try
        {
            await using var provider = Build(replicas, ("Routing:Strategy", "PrefixAffinity"), ("Routing:LoadFactor", loadFactor));
            var client = provider.Chat();

            var first = client.GetResponseAsync(Conversation(5, 1), cancellationToken: Ct);
            await replicas[0].WaitForAsync(_ => replicas.Sum(r => r.InFlight) == 1);
            var second = client.GetResponseAsync(Conversation(5, 2), cancellationToken: Ct);
            await replicas[0].WaitForAsync(_ => replicas.Sum(r => r.InFlight) == 2);

            Assert.Equal(onPreferred, replicas.Max(r => r.InFlight));
            foreach (var r in replicas)
            {
                r.Release(2);
            }

            await Task.WhenAll(first, second);
        }
        finally
        {
            await StopAsync(replicas);
        }
    }

    [Fact]
    public async Task A_conversation_comes_back_to_its_replica_once_the_load_is_gone()
    {
        var replicas = await StartReplicasAsync(2, hold: true);
        try
        {
            await using var provider = Build(replicas, ("Routing:Strategy", "PrefixAffinity"), ("Routing:LoadFactor", "1"));
            var client = provider.Chat();
            var held = client.GetResponseAsync(Conversation(9, 1), cancellationToken: Ct);
            await replicas[0].WaitForAsync(_ => replicas.Sum(r => r.InFlight) == 1);
            var home = replicas.Single(r => r.InFlight == 1);
            var spilled = client.GetResponseAsync(Conversation(9, 2), cancellationToken: Ct);
            await replicas[0].WaitForAsync(_ => replicas.Sum(r => r.InFlight) == 2);
            foreach (var r in replicas)
            {
                r.Release(2);
                r.Hold = false;
            }

            await Task.WhenAll(held, spilled);
            for (int turn = 3; turn <= 5; turn++)
            {
                await client.GetResponseAsync(Conversation(9, turn), cancellationToken: Ct);
            }

            // Turn 2 spilled; turns 3 to 5 all went home (round robin would have split them between the two replicas).
            Assert.Equal(4, home.Received);
            Assert.Equal(1, replicas.Single(r => r != home).Received);
        }
        finally
        {
            await StopAsync(replicas);
        }
    }

    [Fact]
    public async Task An_unreachable_preferred_replica_is_passed_over()
    {
        var live = await StartReplicasAsync(1, hold: false);
        try
        {
            await using var provider = ConfiguredClient.Build(new Uri("http://llama"),
                ("ServiceDiscovery", "true"), ("Services:llama:http:0", "127.0.0.1:1"), ("Services:llama:http:1", live[0].BaseAddress.Authority),
                ("Routing:Strategy", "PrefixAffinity"));
            var client = provider.Chat();

            for (int conversation = 0; conversation < 6; conversation++)
            {
                Assert.Equal("replica-0", (await client.GetResponseAsync(Conversation(conversation, 1), cancellationToken: Ct)).Text);
            }

            Assert.Equal(6, live[0].Received);
        }
        finally
        {
            await StopAsync(live);
        }
    }

    [Fact]
    public async Task The_affinity_header_carries_one_key_per_conversation_for_a_gateway()
    {
        await using var gateway = await SlotServer.StartAsync("gateway", Ct);
        gateway.Hold = false;
        await using var provider = ConfiguredClient.Build(gateway.BaseAddress, ("Routing:AffinityHeader", "x-session-id"));
        var client = provider.Chat();

        await client.GetResponseAsync(Conversation(1, 1), cancellationToken: Ct);
        await client.GetResponseAsync(Conversation(1, 3), cancellationToken: Ct);
        await client.GetStreamingResponseAsync(Conversation(2, 2), cancellationToken: Ct).ToChatResponseAsync(Ct);

        string[] keys = [.. gateway.Headers.Select(h => h.GetValueOrDefault("x-session-id", string.Empty))];
        Assert.Equal(3, keys.Length);
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{16}$", k));
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
    }

    [Theory]
    [InlineData("Routing:Strategy", "Sticky", "OpenModel:Routing:Strategy 'Sticky' is not a routing strategy")]
    [InlineData("Routing:LoadFactor", "0.5", "OpenModel:Routing:LoadFactor '0.5' must be a number from 1 to 100")]
    [InlineData("Routing:AffinityHeader", "x session", "OpenModel:Routing:AffinityHeader 'x session' is not a valid HTTP header name")]
    [InlineData("Routing:Strategy", "PrefixAffinity", "OpenModel:Routing:Strategy PrefixAffinity needs replicas to choose from")]
    public void Bad_routing_settings_fail_at_start_up_naming_the_key(string key, string value, string expected)
    {
        using var provider = ConfiguredClient.Build(new Uri("http://127.0.0.1:1"), (key, value));
        var e = Assert.Throws<OptionsValidationException>(() => provider.Chat());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
