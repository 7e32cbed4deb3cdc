namespace OpenModelClient.Benchmarks;

/// <summary>Runs each benchmarked client once before measuring and fails the benchmark unless it received everything that was sent.</summary>
internal static class Validation
{
    public static async Task AllAsync(Payload payload, params (string Client, Func<Received, Task> Run)[] runs)
    {
        foreach (var (client, run) in runs)
        {
            var received = new Received(client);
            await run(received).ConfigureAwait(false);
            received.Verify(payload);
        }
    }
}
