using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>A modelled fleet of replicas, each with a prefix cache of a few conversations (least recently used out, no host-memory
/// cache): the share of later turns' prompt tokens served from cache under round-robin and under prefix affinity.</summary>
/// <remarks>
/// The routing is the library's own: <see cref="AffinityKey"/> hashes each request's messages and <see cref="ReplicaBalancer"/>
/// chooses, with a window of requests in flight so that its load bound acts. Turns of different conversations interleave in a
/// seeded random order, as a busy backend's would.
/// </remarks>
internal static class AffinityModel
{
    public sealed record Result(string Strategy, double CachedShare, long PromptTokens, long CachedTokens, double SpilledShare);

    public static IEnumerable<Result> Run(int replicas = 4, int conversations = 64, int turns = 6, int cachePerReplica = 16, int inFlight = 8, int seed = 20)
    {
        yield return Simulate("RoundRobin", replicas, conversations, turns, cachePerReplica, inFlight, seed, affinity: false, loadFactor: 2);
        yield return Simulate("PrefixAffinity (LoadFactor 2)", replicas, conversations, turns, cachePerReplica, inFlight, seed, affinity: true, loadFactor: 2);
        yield return Simulate("PrefixAffinity (LoadFactor 1.25)", replicas, conversations, turns, cachePerReplica, inFlight, seed, affinity: true, loadFactor: 1.25);
    }

    private static Result Simulate(string name, int replicaCount, int conversations, int turns, int cachePerReplica, int inFlight, int seed, bool affinity, double loadFactor)
    {
        const int FirstPrompt = 400, PerTurn = 150;
        var random = new Random(seed);
        var order = Enumerable.Range(0, conversations).SelectMany(c => Enumerable.Repeat(c, turns)).OrderBy(_ => random.Next()).ToList();
        var turnOf = new int[conversations];
        string[] names = [.. Enumerable.Range(0, replicaCount).Select(i => $"10.0.0.{i + 1}:8080")];
        var caches = names.ToDictionary(n => n, _ => new LinkedList<int>());
        var balancer = new ReplicaBalancer(loadFactor, TimeProvider.System);
        var window = new Queue<IDisposable>();
        long prompt = 0, cached = 0, spilledBefore = balancer.Spilled;
        int roundRobin = 0, routed = 0;

        foreach (int conversation in order)
        {
            int turn = ++turnOf[conversation];
            var messages = Messages(conversation, turn);
            string replica = affinity ? balancer.Choose(AffinityKey.Compute(messages), names) : names[roundRobin++ % names.Length];
            routed++;
            window.Enqueue(balancer.Enter(replica));
            if (window.Count > inFlight)
            {
                window.Dequeue().Dispose();
            }

            var cache = caches[replica];
            bool hit = cache.Remove(conversation);
            cache.AddFirst(conversation);
            if (cache.Count > cachePerReplica)
            {
                cache.RemoveLast();
            }

            if (turn > 1)
            {
                int tokens = FirstPrompt + ((turn - 1) * PerTurn);
                prompt += tokens;
                cached += hit ? tokens - PerTurn : 0; // the previous turns are the cached prefix; the new turn is evaluated
            }
        }

        return new Result(name, cached / (double)prompt, prompt, cached, affinity ? (balancer.Spilled - spilledBefore) / (double)routed : 0);
    }

    private static List<ChatMessage> Messages(int conversation, int turn)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a support agent."), new(ChatRole.User, $"Ticket {conversation}: my order {conversation * 7919} has not arrived.") };
        for (int t = 1; t < turn; t++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Reply {t}."));
            messages.Add(new ChatMessage(ChatRole.User, $"Follow-up {t}."));
        }

        return messages;
    }
}
