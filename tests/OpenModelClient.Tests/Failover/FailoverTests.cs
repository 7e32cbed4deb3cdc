using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Failover;

public class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Chain(Uri primary, Uri secondary)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Local:Provider"] = "LlamaCpp",
            ["Local:Endpoint"] = primary.ToString(),
            ["Local:Retry:MaxAttempts"] = "1",
            ["Hosted:Provider"] = "OpenAICompatible",
            ["Hosted:Endpoint"] = new Uri(secondary, "v1").ToString(),
            ["Hosted:Model"] = "backup-model",
        }).Build();
        var services = new ServiceCollection();
        services.AddKeyedOpenModelChatClient("local", configuration.GetSection("Local"));
        services.AddKeyedOpenModelChatClient("hosted", configuration.GetSection("Hosted"));
        services.AddOpenModelFailoverChatClient("local", "hosted");
        return services.BuildServiceProvider();
    }

    private static ReplayResponse Fixture(string scenario) => ReplayResponse.FromFixture("llama.cpp", scenario);

    [Fact]
    public async Task A_dead_local_server_fails_over_to_the_next_client()
    {
        await using var backup = await ReplayServer.StartAsync(Fixture("chat-nonstream-length"));
        await using var provider = Chain(new Uri("http://127.0.0.1:1"), backup.BaseAddress);

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
        Assert.Equal("backup-model", backup.Requests[0].BodyJson!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_overloaded_server_fails_over_before_a_stream_starts()
    {
        await using var primary = await ReplayServer.StartAsync(Fixture("health-503-loading"));
        await using var backup = await ReplayServer.StartAsync(Fixture("chat-stream"));
        await using var provider = Chain(primary.BaseAddress, backup.BaseAddress);

        var text = string.Empty;
        await foreach (var update in provider.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
            text += update.Text;
        }

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", text);
        Assert.Single(primary.Requests);
        Assert.Single(backup.Requests);
    }

    [Fact]
    public async Task No_switch_once_output_has_started()
    {
        await using var primary = await ReplayServer.StartAsync(Fixture("chat-stream").CutAfterBytes(700));
        await using var backup = await ReplayServer.StartAsync(Fixture("chat-stream"));
        await using var provider = Chain(primary.BaseAddress, backup.BaseAddress);
        var text = string.Empty;

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in provider.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                text += update.Text;
            }
        });

        Assert.True(e.IsTruncated);
        Assert.NotEmpty(text);
        Assert.Empty(backup.Requests);
    }

    [Fact]
    public async Task An_invalid_request_is_not_sent_elsewhere()
    {
        await using var primary = await ReplayServer.StartAsync(Fixture("error-400-missing-messages"));
        await using var backup = await ReplayServer.StartAsync(Fixture("chat-nonstream-length"));
        await using var provider = Chain(primary.BaseAddress, backup.BaseAddress);

        await Assert.ThrowsAsync<InvalidRequestException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Empty(backup.Requests);
    }

    [Fact]
    public async Task A_prompt_too_long_for_the_local_context_goes_to_the_next_client()
    {
        await using var primary = await ReplayServer.StartAsync(Fixture("error-400-exceed-context-nonstream"));
        await using var backup = await ReplayServer.StartAsync(Fixture("chat-nonstream-length"));
        await using var provider = Chain(primary.BaseAddress, backup.BaseAddress);

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task When_every_client_fails_the_last_error_surfaces()
    {
        await using var primary = await ReplayServer.StartAsync(Fixture("health-503-loading"));
        await using var backup = await ReplayServer.StartAsync(Fixture("error-500-malformed-json"), Fixture("error-500-malformed-json"), Fixture("error-500-malformed-json"));
        await using var provider = Chain(primary.BaseAddress, backup.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelException>(() => provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal("openai-compatible", e.Provider);
    }

    [Fact]
    public async Task Middleware_wraps_the_whole_chain()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("a", new TestChatClient());
        services.AddOpenModelFailoverChatClient("a").UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        Assert.NotNull(client.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(client.GetService<OpenModelFailoverChatClient>());
    }

    private sealed class TestChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => Task.FromResult(new ChatResponse());

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<ChatResponseUpdate>();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
