using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Benchmarks;

/// <summary>Embedding 100,000 short inputs through <see cref="BatchingEmbeddingGenerator"/> against a modelled server: a fixed
/// number of slots, each request holding one for a fixed time whatever its size up to the batch limit. The server's ceiling is
/// slots × batch size ÷ request time; the result is the measured inputs per second against it, and whether the order held.</summary>
internal static class EmbeddingThroughputModel
{
    /// <summary>One run. <c>Ceiling</c> uses the request time the server actually took (a timer waits a little longer than asked), so
    /// the share of it is how much of the time the client kept every slot busy.</summary>
    public sealed record Result(int Inputs, int BatchSize, int Slots, TimeSpan RequestTime, double InputsPerSecond, double Ceiling, double NominalCeiling, bool OrderKept);

    public static async Task<Result> RunAsync(int inputs = 100_000, int batchSize = 64, int slots = 8, int requestMilliseconds = 10)
    {
        var requestTime = TimeSpan.FromMilliseconds(requestMilliseconds);
        using var server = new ModelledServer(slots, requestTime, batchSize);
        using var generator = new BatchingEmbeddingGenerator(server, batchSize, maxParallelism: slots);
        string[] values = [.. Enumerable.Range(0, inputs).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        await generator.GenerateAsync(values.Take(batchSize * slots * 2)); // warm-up
        server.Reset();
        var clock = Stopwatch.StartNew();
        var result = await generator.GenerateAsync(values);
        clock.Stop();

        bool ordered = result.Count == inputs && result.Select((e, i) => e.Vector.Span[0] == i).All(ok => ok);
        double actualRequestSeconds = server.MeanRequestSeconds;
        return new Result(inputs, batchSize, slots, requestTime, inputs / clock.Elapsed.TotalSeconds, slots * batchSize / actualRequestSeconds, slots * batchSize / requestTime.TotalSeconds, ordered);
    }

    private sealed class ModelledServer(int slots, TimeSpan requestTime, int batchLimit) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly SemaphoreSlim _slots = new(slots, slots);
        private long _requests;
        private long _busyTicks;

        public double MeanRequestSeconds => Interlocked.Read(ref _busyTicks) / (double)Stopwatch.Frequency / Interlocked.Read(ref _requests);

        public void Reset()
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _busyTicks, 0);
        }

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var inputs = values.ToList();
            if (inputs.Count > batchLimit)
            {
                throw new InvalidOperationException($"the modelled server takes at most {batchLimit} inputs per request");
            }

            await _slots.WaitAsync(cancellationToken);
            long started = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(requestTime, cancellationToken);
            }
            finally
            {
                Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref _requests);
                _slots.Release();
            }

            return new GeneratedEmbeddings<Embedding<float>>(inputs.Select(v => new Embedding<float>(new[] { float.Parse(v, System.Globalization.CultureInfo.InvariantCulture), 1f })));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => _slots.Dispose();
    }
}
