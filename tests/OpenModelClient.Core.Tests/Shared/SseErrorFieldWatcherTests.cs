using System.Text;

namespace OpenModelClient.Tests.Shared;

/// <summary>The watcher must find an <c>error:</c> line wherever the network splits the body, and nothing else.</summary>
public class SseErrorFieldWatcherTests
{
    private const string Body = "data: {\"choices\":[]}\n\nerror: {\"code\":500,\"message\":\"boom\"}\n\ndata: [DONE]\n\n";

    [Fact]
    public void Finds_the_line_whatever_the_split_points()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);
        for (int first = 0; first <= bytes.Length; first++)
        {
            for (int second = first; second <= bytes.Length; second += 3)
            {
                var watcher = new SseErrorFieldWatcher();
                watcher.Observe(bytes.AsSpan(0, first));
                watcher.Observe(bytes.AsSpan(first, second - first));
                watcher.Observe(bytes.AsSpan(second));
                Assert.True(watcher.Value == "{\"code\":500,\"message\":\"boom\"}", $"split at {first} and {second}: {watcher.Value ?? "(none)"}");
            }
        }
    }

    [Fact]
    public void Finds_the_line_one_byte_at_a_time_and_at_the_very_start_of_the_body()
    {
        foreach (var body in new[] { Body, "error: {\"message\":\"first\"}\r\n\r\ndata: [DONE]\r\n\r\n" })
        {
            var watcher = new SseErrorFieldWatcher();
            foreach (byte b in Encoding.UTF8.GetBytes(body))
            {
                watcher.Observe([b]);
            }

            Assert.NotNull(watcher.Value);
            Assert.StartsWith("{", watcher.Value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("data: {\"content\":\"error: inside a value\"}\n\ndata: [DONE]\n\n")]
    [InlineData(": error: a comment\n\ndata: [DONE]\n\n")]
    [InlineData("data: x\n\nerrors: not the field\n\nevent: error\ndata: {}\n\n")]
    [InlineData("data: err\n\ndata: or:\n\n")]
    public void Ignores_everything_that_is_not_an_error_field(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var watcher = new SseErrorFieldWatcher();
            watcher.Observe(bytes.AsSpan(0, split));
            watcher.Observe(bytes.AsSpan(split));
            Assert.Null(watcher.Value);
        }
    }

    [Fact]
    public void Maps_a_json_value_to_the_typed_error_and_any_other_value_to_a_truncated_protocol_error()
    {
        var json = new SseErrorFieldWatcher();
        json.Observe(Encoding.UTF8.GetBytes("error: {\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}\n"));
        var typed = json.ToException("llama.cpp", System.Net.HttpStatusCode.OK, "req-1");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, typed!.StatusCode);
        Assert.Equal("Loading model", typed.ProviderMessage);
        Assert.Equal("req-1", typed.RequestId);

        var text = new SseErrorFieldWatcher();
        text.Observe(Encoding.UTF8.GetBytes("error: the slot was cancelled\n"));
        var protocol = Assert.IsType<OpenModelProtocolException>(text.ToException("llama.cpp", System.Net.HttpStatusCode.OK, null));
        Assert.True(protocol.IsTruncated);

        Assert.Null(new SseErrorFieldWatcher().ToException("llama.cpp", System.Net.HttpStatusCode.OK, null));
    }
}
