using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Guards;

/// <summary>The guards as configured clients get them: on by default, off by key, counted on the library's meter.</summary>
public class ConfiguredGuardsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReplayResponse NoProps => ReplayResponse.Json(404, """{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}""");

    [Fact]
    public async Task ReasoningOnlyReply_ConfiguredClient_RaisesAndIsCountedOnTheLibraryMeter()
    {
        var actions = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OpenModelTelemetry.SourceName && instrument.Name == "openmodel.guard.actions")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value as string);
            if (t["gen_ai.provider.name"] == "llama.cpp" && t["openmodel.guard"] == "answer_room")
            {
                lock (actions)
                {
                    actions.Add(t["openmodel.guard.action"]!);
                }
            }
        });
        listener.Start();
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-reasoning-nonstream-length"));
        await using var hosted = HostedClient.Create(server);

        var e = await Assert.ThrowsAsync<ReasoningExhaustedException>(() => hosted.Client.GetResponseAsync("What is 2+2?", new ChatOptions { MaxOutputTokens = 10 }, Ct));

        Assert.Equal("\nwick naarquit solves proverams ore♣ GarcíaOver", e.Reasoning);
        lock (actions)
        {
            Assert.Contains("rejected", actions);
        }
    }

    [Fact]
    public async Task ReasoningOnlyReply_AnswerRoomOff_ComesBackEmpty()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-reasoning-nonstream-length"));
        await using var hosted = HostedClient.Create(server, ("Guards:AnswerRoom:Enabled", "false"));

        var response = await hosted.Client.GetResponseAsync("What is 2+2?", new ChatOptions { MaxOutputTokens = 10 }, Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(string.Empty, response.Text);
    }

    [Fact]
    public async Task ReasoningOnlyReply_RetryWithoutThinkingByKey_AnswersWithThinkingOff()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "chat-reasoning-nonstream-length"),
            NoProps, // the retry sets a reasoning effort, so the capability guard reads /props first
            ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var hosted = HostedClient.Create(server, ("Guards:AnswerRoom:RetryWithoutThinking", "true"));

        var response = await hosted.Client.GetResponseAsync("What is 2+2?", new ChatOptions { MaxOutputTokens = 10 }, Ct);

        Assert.NotEmpty(response.Text);
        Assert.Equal(false, (bool?)server.Requests[2].BodyJson!["chat_template_kwargs"]!["enable_thinking"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NearJsonToolCall_ConfiguredClient_RepairedUnlessTurnedOff(bool repair)
    {
        var received = new List<string>();
        var tool = AIFunctionFactory.Create((string city) => { received.Add(city); return "sunny"; }, "get_weather");
        await using var server = await ReplayServer.StartAsync(
            NoProps, // tools make the capability guard read /props first: unknown capabilities keep them
            ReplayResponse.Json(200, """{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{'city': 'Paris',}"}}]},"finish_reason":"tool_calls"}]}"""),
            ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var hosted = HostedClient.Create(server, ("Guards:ToolCallRepair:Enabled", repair ? "true" : "false"));
        using var client = hosted.Client.AsBuilder().UseFunctionInvocation().Build();

        await client.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Equal(repair ? ["Paris"] : [], received);
    }
}
