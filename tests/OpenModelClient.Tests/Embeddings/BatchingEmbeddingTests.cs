using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenModelClient.Tests.Embeddings;

/// <summary>Large embedding calls through the configured generator, against a real Kestrel server.</summary>
public class BatchingEmbeddingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Uri endpoint, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = endpoint.ToString(),
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values["OpenModel:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddOpenModelEmbeddingGenerator(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        return services.BuildServiceProvider();
    }

    private static string[] Docs(int count) => [.. Enumerable.Range(0, count).Select(i => $"doc-{i}")];

    [Fact]
    public async Task A_large_call_is_split_into_the_providers_batches_and_comes_back_in_input_order()
    {
        await using var server = await EmbeddingServer.StartAsync(Ct);
        await using var provider = Build(server.BaseAddress);
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var reports = new List<EmbeddingProgress>();
        var progress = new SynchronousProgress(reports);

        var result = await generator.GenerateAsync(Docs(100), new EmbeddingGenerationOptions { AdditionalProperties = new() { [BatchingEmbeddingGenerator.ProgressPropertyName] = progress } }, Ct);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), result.Select(e => e.Vector.Span[0]));
        Assert.Equal([4, 32, 32, 32], server.Batches.Select(b => b.Length).Order()); // llama.cpp's default: 32 per request
        Assert.Equal(200, result.Usage?.InputTokenCount);
        lock (reports)
        {
            Assert.Equal(4, reports.Count);
            Assert.Equal(new EmbeddingProgress(100, 100, 4, 4), reports.MaxBy(r => r.CompletedInputs));
        }
    }

    [Fact]
    public async Task Batches_run_at_most_MaxParallelism_at_once()
    {
        await using var server = await EmbeddingServer.StartAsync(Ct);
        server.Delay = TimeSpan.FromMilliseconds(50);
        await using var provider = Build(server.BaseAddress, ("Embeddings:BatchSize", "10"), ("Embeddings:MaxParallelism", "2"));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var result = await generator.GenerateAsync(Docs(95), cancellationToken: Ct);

        Assert.Equal(95, result.Count);
        Assert.Equal(10, server.Batches.Count);
        Assert.Equal(2, server.MaxInFlight);
        Assert.Equal(Enumerable.Range(0, 95).Select(i => (float)i), result.Select(e => e.Vector.Span[0]));
    }

    [Fact]
    public async Task A_failed_batch_names_its_inputs()
    {
        await using var server = await EmbeddingServer.StartAsync(Ct);
        await using var provider = Build(server.BaseAddress, ("Embeddings:BatchSize", "10"), ("Embeddings:MaxParallelism", "1"));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var inputs = Docs(50);
        inputs[25] = "fail";

        var e = await Assert.ThrowsAsync<EmbeddingBatchFailedException>(() => generator.GenerateAsync(inputs, cancellationToken: Ct));

        Assert.Equal(2, e.BatchIndex);
        Assert.Equal(5, e.BatchCount);
        Assert.Equal(20, e.StartIndex);
        Assert.Equal(10, e.Count);
        Assert.Equal(OpenModelErrorKind.InvalidRequest, e.Kind);
        Assert.IsType<InvalidRequestException>(e.InnerException);
        Assert.Contains("inputs 20 to 29", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Batches.Count); // one at a time: the batches after the failed one were never sent
    }

    [Fact]
    public async Task A_transient_failure_retries_that_batch_alone()
    {
        await using var server = await EmbeddingServer.StartAsync(Ct);
        await using var provider = Build(server.BaseAddress, ("Embeddings:BatchSize", "10"));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var inputs = Docs(40);
        inputs[15] = "flaky";

        var result = await generator.GenerateAsync(inputs, cancellationToken: Ct);

        Assert.Equal(40, result.Count);
        Assert.Equal(5, server.Batches.Count);
        Assert.Equal(2, server.Batches.Count(b => b.Contains("flaky")));
        Assert.Equal(-1, result[15].Vector.Span[0]);
        Assert.Equal(39, result[39].Vector.Span[0]);
    }

    [Fact]
    public void Qwen_refuses_a_batch_size_above_its_APIs_limit_at_start_up()
    {
        using var provider = Build(new Uri("http://127.0.0.1:1"), ("Provider", "Qwen"), ("Region", "Singapore"), ("ApiKey", "sk-test"), ("Model", "text-embedding-v4"), ("Embeddings:BatchSize", "25"));
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Contains("OpenModel:Embeddings:BatchSize 25 is more than Qwen's embedding API accepts per request (10)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qwen_defaults_to_ten_inputs_per_request()
    {
        using var provider = Build(new Uri("http://127.0.0.1:1"), ("Provider", "Qwen"), ("Region", "Singapore"), ("ApiKey", "sk-test"), ("Model", "text-embedding-v4"));
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var batching = generator.GetService<BatchingEmbeddingGenerator>();
        Assert.NotNull(batching);
        Assert.Equal(10, batching.BatchSize);
    }

    private sealed class SynchronousProgress(List<EmbeddingProgress> reports) : IProgress<EmbeddingProgress>
    {
        public void Report(EmbeddingProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
