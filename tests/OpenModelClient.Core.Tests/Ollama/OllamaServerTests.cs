using System.Text.Json;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Ollama.OllamaTestSupport;

namespace OpenModelClient.Tests.Ollama;

public sealed class OllamaServerTests
{
    [Fact]
    public async Task ListModelsAsync_ReadsTagsWithDetailsCapabilitiesAndGoTimestamps()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("tags"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var models = await ollama.ListModelsAsync(Ct);

        Assert.Equal(("GET", "/api/tags"), (server.Requests[0].Method, server.Requests[0].PathAndQuery));
        Assert.Equal(["llama3.2:latest", "nomic-embed-text:latest"], models.Select(m => m.Name));
        var llama = models[0];
        Assert.Equal(2019393189, llama.SizeBytes);
        Assert.Equal("gguf", llama.Details.Format);
        Assert.Equal("llama", llama.Details.Family);
        Assert.Equal("3.2B", llama.Details.ParameterSize);
        Assert.Equal("Q4_K_M", llama.Details.QuantizationLevel);
        Assert.Null(llama.Details.ParentModel);
        Assert.Equal(["completion", "tools"], llama.Capabilities);
        Assert.Equal(new DateTimeOffset(2025, 10, 20, 9, 32, 18, TimeSpan.FromHours(-7)).AddTicks(7572125), llama.ModifiedAt);
        Assert.Null(models[1].Capabilities);
        Assert.Equal(new DateTimeOffset(2025, 10, 19, 11, 2, 7, TimeSpan.Zero).AddTicks(1234567), models[1].ModifiedAt);
    }

    [Fact]
    public async Task ListRunningModelsAsync_ReadsPs()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("ps"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var running = Assert.Single(await ollama.ListRunningModelsAsync(Ct));

        Assert.Equal("/api/ps", server.Requests[0].PathAndQuery);
        Assert.Equal("qwen3:4b", running.Name);
        Assert.Equal(5137025024, running.VramBytes);
        Assert.Equal(5137025024, running.SizeBytes);
        Assert.Equal(8192, running.ContextLength);
        Assert.Equal("qwen3", running.Details.Family);
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 17, 20, 24, TimeSpan.FromHours(-7)).AddTicks(1931400), running.ExpiresAt);
    }

    [Fact]
    public async Task ShowModelAsync_ReadsCapabilitiesAndContextLength()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("show"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var info = await ollama.ShowModelAsync("qwen3:4b", Ct);

        Assert.Equal(("POST", "/api/show"), (server.Requests[0].Method, server.Requests[0].PathAndQuery));
        JsonAssert.Equal("""{"model":"qwen3:4b"}""", server.Requests[0].BodyJson);
        Assert.Equal("qwen3:4b", info.Name);
        Assert.True(info.SupportsCompletion);
        Assert.True(info.SupportsTools);
        Assert.True(info.SupportsThinking);
        Assert.False(info.SupportsVision);
        Assert.False(info.SupportsEmbedding);
        Assert.Equal("qwen3", info.Architecture);
        Assert.Equal(40960, info.ContextLength);
        Assert.Equal("4.0B", info.Details.ParameterSize);
        Assert.StartsWith("temperature", info.Parameters, StringComparison.Ordinal);
        Assert.Contains("FROM ", info.Modelfile, StringComparison.Ordinal);
        Assert.NotNull(info.Template);
        Assert.Equal(4022468096, info.ModelInfo.GetProperty("general.parameter_count").GetInt64());
    }

    [Fact]
    public async Task ShowModelAsync_WithoutArchitectureKey_StillFindsTheContextLength()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("show-vision-no-architecture"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var info = await ollama.ShowModelAsync("llava", Ct);

        Assert.Null(info.Architecture);
        Assert.Equal(8192, info.ContextLength);
        Assert.True(info.SupportsVision);
        Assert.False(info.SupportsTools);
        Assert.Equal(["llama", "clip"], info.Details.Families);
    }

    [Fact]
    public async Task ShowModelAsync_MissingModel_ThrowsModelNotFoundWithPullHint()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-404-model-not-found"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => ollama.ShowModelAsync("qwen3:4b", Ct));

        Assert.Contains("run `ollama pull qwen3:4b` or call OllamaServer.PullModelAsync", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetVersionAsync_ReadsVersion()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("version"));
        using var ollama = new OllamaServer(server.BaseAddress);

        Assert.Equal("0.5.1", await ollama.GetVersionAsync(Ct));
        Assert.Equal(("GET", "/api/version"), (server.Requests[0].Method, server.Requests[0].PathAndQuery));
    }

    [Fact]
    public async Task IsRunningAsync_TrueWhenRootAnswers()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("root"));
        using var ollama = new OllamaServer(server.BaseAddress);

        Assert.True(await ollama.IsRunningAsync(Ct));
        Assert.Equal(("GET", "/"), (server.Requests[0].Method, server.Requests[0].PathAndQuery));
    }

    [Fact]
    public async Task IsRunningAsync_FalseWhenNothingListens()
    {
        var server = await ReplayServer.StartAsync();
        var address = server.BaseAddress;
        await server.DisposeAsync();
        using var ollama = new OllamaServer(address);

        Assert.False(await ollama.IsRunningAsync(Ct));
    }

    [Fact]
    public async Task PullModelStreamingAsync_YieldsEveryRecordAndEndsAtSuccess()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("pull-stream").WithChunking(ReplayChunking.PerByte));
        using var ollama = new OllamaServer(server.BaseAddress, apiKey: "k");

        var records = await ollama.PullModelStreamingAsync("llama3.2", Ct).ToListAsync(Ct);

        Assert.Equal("/api/pull", server.Requests[0].PathAndQuery);
        JsonAssert.Equal("""{"model":"llama3.2","stream":true}""", server.Requests[0].BodyJson);
        Assert.Equal("Bearer k", server.Requests[0].Headers["Authorization"]);
        Assert.Equal(
            ["pulling manifest", "pulling dde5aa3fc5ff", "pulling dde5aa3fc5ff", "pulling dde5aa3fc5ff", "verifying sha256 digest", "writing manifest", "success"],
            records.Select(r => r.Status));
        Assert.Null(records[0].Digest);
        Assert.Null(records[1].Completed);
        Assert.Equal(0, records[1].Fraction);
        Assert.Equal(241970, records[2].Completed);
        Assert.Equal(2019377376, records[2].Total);
        Assert.Equal(241970d / 2019377376, records[2].Fraction!.Value, 12);
        Assert.Equal(1, records[3].Fraction);
        Assert.StartsWith("sha256:dde5aa3fc5ff", records[3].Digest, StringComparison.Ordinal);
        Assert.All(records.SkipLast(1), r => Assert.False(r.IsSuccess));
        Assert.True(records[^1].IsSuccess);
    }

    [Fact]
    public async Task PullModelAsync_ReportsProgressAndCompletes()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("pull-stream"));
        using var ollama = new OllamaServer(server.BaseAddress);
        var progress = new ListProgress<OllamaPullProgress>();

        await ollama.PullModelAsync("llama3.2", progress, Ct);

        Assert.Equal(7, progress.Items.Count);
        Assert.Equal("success", progress.Items[^1].Status);
    }

    [Fact]
    public async Task PullModelStreamingAsync_ErrorLine_ThrowsTypedErrorAfterEarlierRecords()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("pull-error-line"));
        using var ollama = new OllamaServer(server.BaseAddress);
        var seen = new List<string>();

        var e = await Assert.ThrowsAsync<OpenModelException>(async () =>
        {
            await foreach (var record in ollama.PullModelStreamingAsync("nope", Ct))
            {
                seen.Add(record.Status);
            }
        });

        Assert.Equal(["pulling manifest"], seen);
        Assert.Equal("pull model manifest: file does not exist", e.ProviderMessage);
        Assert.IsNotType<OpenModelProtocolException>(e);
    }

    [Fact]
    public async Task PullModelAsync_StreamEndingBeforeSuccess_ThrowsTruncated()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("pull-ends-before-success"));
        using var ollama = new OllamaServer(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => ollama.PullModelAsync("llama3.2", cancellationToken: Ct));

        Assert.True(e.IsTruncated);
        Assert.Contains("'llama3.2'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListModelsAsync_NotJson_ThrowsProtocolError()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Raw(200, "text/html", "<html>proxy login</html>"u8.ToArray()));
        using var ollama = new OllamaServer(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => ollama.ListModelsAsync(Ct));

        Assert.Equal("<html>proxy login</html>", e.ReceivedPrefix);
        Assert.IsType<JsonException>(e.InnerException, exactMatch: false);
    }
}
