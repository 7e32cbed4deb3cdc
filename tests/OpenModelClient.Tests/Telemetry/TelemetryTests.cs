using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Telemetry;

public class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Spans_carry_the_real_provider_server_and_token_counts()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OpenModelTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var hosted = HostedClient.Create(server, ("ApiKey", "sk-top-secret"));

        await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        var span = Assert.Single(activities, a => (a.GetTagItem("server.port") as int?) == server.BaseAddress.Port);
        Assert.Equal("llama.cpp", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(29, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(8, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("/opt/gguf/models/tiny-llama-qwen25-tools.gguf", span.GetTagItem("gen_ai.response.model"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("sk-top-secret", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("Say hello", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Spans_carry_prompt_cache_reads_and_writes_where_the_server_reports_them_streamed_and_not()
    {
        // Model Studio's documented usage for an explicit cache: cached_tokens read, cache_creation_input_tokens written.
        const string Usage = """{"prompt_tokens":2048,"completion_tokens":1,"total_tokens":2049,"prompt_tokens_details":{"cached_tokens":1536,"cache_creation_input_tokens":512}}""";
        string body = $$"""{"id":"chatcmpl-c","object":"chat.completion","created":1795000000,"model":"qwen3.6-plus","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{{Usage}}}""";
        string stream = "data: {\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":1795000000,\"model\":\"qwen3.6-plus\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
            + $"data: {{\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":1795000000,\"model\":\"qwen3.6-plus\",\"choices\":[],\"usage\":{Usage}}}\n\ndata: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, body), ReplayResponse.Sse(stream), ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == OpenModelTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using (var qwen = HostedClient.Create(new Uri(server.BaseAddress, "compatible-mode/v1"), null, ("Provider", "Qwen"), ("Model", "qwen3.6-plus"), ("ApiKey", "sk-test")))
        {
            await qwen.Client.GetResponseAsync("hi", cancellationToken: Ct);
            await foreach (var update in qwen.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                _ = update;
            }
        }

        await using (var llama = HostedClient.Create(server))
        {
            await llama.Client.GetResponseAsync("hi", cancellationToken: Ct);
        }

        var spans = activities.Where(a => (a.GetTagItem("server.port") as int?) == server.BaseAddress.Port).ToList();
        Assert.Equal(3, spans.Count);
        foreach (var span in spans.Take(2))
        {
            Assert.Equal(1536, Convert.ToInt32(span.GetTagItem("gen_ai.usage.cache_read.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(512L, span.GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        }

        // A server that reports no cache writes gets no such attribute (not a zero).
        Assert.Null(spans[2].GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
    }

    [Fact]
    public async Task Server_reported_timings_become_metrics()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-stream-include-usage"));
        var measurements = new ConcurrentDictionary<string, double>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OpenModelTelemetry.SourceName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && (int)tag.Value! == server.BaseAddress.Port)
                {
                    measurements[instrument.Name] = value;
                }
            }
        });
        meterListener.Start();
        await using var hosted = HostedClient.Create(server);

        await foreach (var _ in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
        }

        Assert.True(measurements.TryGetValue("openmodel.server.decode.duration", out double decode));
        Assert.True(measurements.TryGetValue("openmodel.server.prefill.duration", out double prefill));
        Assert.True(decode > 0 && decode < 1, $"decode {decode}s");
        Assert.True(prefill > 0 && prefill < 1, $"prefill {prefill}s");
        Assert.True(measurements.ContainsKey("gen_ai.server.time_per_output_token"));
        Assert.True(measurements.ContainsKey("openmodel.server.output_token.rate"));
    }

    [Fact]
    public async Task Telemetry_can_be_turned_off()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var hosted = HostedClient.Create(server, ("Telemetry:Enabled", "false"));

        Assert.Null(hosted.Client.GetService<OpenTelemetryChatClient>());
        Assert.Equal("llama.cpp", hosted.Client.GetService<ChatClientMetadata>()!.ProviderName);
        await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);
    }
}
