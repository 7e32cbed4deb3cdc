using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.DependencyInjection;

/// <summary>The 2026 server features in configured clients: the reranker by configuration, and the context check of the capability guard.</summary>
public class ServerFeaturesConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_configured_reranker_goes_through_the_resilience_pipeline_and_is_traced()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(503, """{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"""),
            ReplayResponse.FromFixture("llama.cpp-2026", "rerank-top-n"));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OpenModelTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rerank:Provider"] = "LlamaCpp",
            ["Rerank:Endpoint"] = server.BaseAddress.ToString(),
            ["Rerank:Model"] = "bge-reranker",
            ["Rerank:Retry:BaseDelay"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection();
        services.AddOpenModelReranker(configuration.GetSection("Rerank"));
        await using var provider = services.BuildServiceProvider();
        var reranker = provider.GetRequiredService<IReranker>();

        var result = await reranker.RerankAsync("What is a panda?", ["hi", "The giant panda is a bear native to China.", "Paris is in France."], new RerankOptions { TopN = 2 }, Ct);

        Assert.Equal([1, 2], result.Results.Select(r => r.Index));
        Assert.Equal(2, server.Requests.Count); // the 503 was retried by the shared pipeline
        Assert.Equal("bge-reranker", (string?)server.Requests[1].BodyJson!["model"]);
        Activity span;
        lock (spans)
        {
            span = Assert.Single(spans, s => s.DisplayName == "rerank bge-reranker");
        }

        Assert.Equal("rerank", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(39L, span.GetTagItem("gen_ai.usage.input_tokens"));
    }

    [Fact]
    public async Task CheckContextLength_in_configuration_turns_on_the_guards_count()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "props"),
            ReplayResponse.Json(200, """{"tokens":[]}"""), // the empty /tokenize that wakes a sleeping model before a count
            ReplayResponse.Json(200, """{"input_tokens":4096,"object":"response.input_tokens"}"""));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = server.BaseAddress.ToString(),
            ["OpenModel:CheckContextLength"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        await using var provider = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(4096, e.PromptTokenCount);
        Assert.Equal(2048, e.ContextLength);
        Assert.Equal(["/props", "/tokenize", "/v1/chat/completions/input_tokens"], server.Requests.Select(r => r.PathAndQuery));
    }
}
