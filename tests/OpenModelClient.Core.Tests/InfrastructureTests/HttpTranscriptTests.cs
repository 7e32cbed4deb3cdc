using System.Globalization;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.InfrastructureTests;

public sealed class HttpTranscriptTests
{
    public static TheoryData<string> LlamaCppScenarios => new(HttpTranscript.Scenarios("llama.cpp"));

    [Fact]
    public void ParseResponse_keeps_header_order_empty_values_and_exact_body()
    {
        var transcript = HttpTranscript.ParseResponse(
            "HTTP/1.1 503 Service Unavailable\r\nServer: llama.cpp\r\nAccess-Control-Allow-Origin: \r\nX-Twice: a\r\nX-Twice:b\r\n\r\n{\"a\":1}\r\n\r\ntail\n"u8);

        Assert.Equal(503, transcript.StatusCode);
        Assert.Equal("Service Unavailable", transcript.ReasonPhrase);
        Assert.Equal(
            [new("Server", "llama.cpp"), new("Access-Control-Allow-Origin", ""), new("X-Twice", "a"), new("X-Twice", "b")],
            transcript.Headers);
        Assert.Equal("", transcript.Header("access-control-allow-origin"));
        Assert.Equal("{\"a\":1}\r\n\r\ntail\n"u8.ToArray(), transcript.Body);
        Assert.Null(transcript.RequestMethod);
    }

    [Fact]
    public void ParseResponse_rejects_input_without_header_terminator() =>
        Assert.Throws<FormatException>(() => HttpTranscript.ParseResponse("HTTP/1.1 200 OK\r\nServer: x\r\n"u8));

    [Fact]
    public void Load_reads_request_line_and_exact_request_body()
    {
        var transcript = HttpTranscript.Load("llama.cpp", "chat-stream");

        Assert.Equal("POST", transcript.RequestMethod);
        Assert.Equal("/v1/chat/completions", transcript.RequestPath);
        Assert.Equal(File.ReadAllBytes(Path.Combine(HttpTranscript.FixturesRoot, "llama.cpp", "chat-stream", "request.json")), transcript.RequestBody);
        Assert.StartsWith("{\"model\":\"tiny\"", transcript.RequestJson, StringComparison.Ordinal);
        Assert.Equal("text/event-stream", transcript.Header("Content-Type"));
        Assert.StartsWith("data: {", System.Text.Encoding.UTF8.GetString(transcript.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Scenarios_lists_every_fixture_folder() =>
        Assert.Equal(84, HttpTranscript.Scenarios("llama.cpp").Count);

    [Theory]
    [MemberData(nameof(LlamaCppScenarios))]
    public void Every_llama_cpp_fixture_parses(string scenario)
    {
        var transcript = HttpTranscript.Load("llama.cpp", scenario);

        Assert.InRange(transcript.StatusCode, 200, 599);
        Assert.NotEmpty(transcript.ReasonPhrase);
        Assert.Equal("llama.cpp", transcript.Header("Server"));
        Assert.Contains(transcript.RequestMethod, new[] { "GET", "POST" });
        Assert.StartsWith("/", transcript.RequestPath, StringComparison.Ordinal);
        Assert.Equal(transcript.RequestMethod == "POST", transcript.RequestBody is not null);
        if (transcript.Header("Content-Length") is { } length)
        {
            Assert.Equal(long.Parse(length, CultureInfo.InvariantCulture), transcript.Body.Length);
        }
        else
        {
            Assert.Equal("chunked", transcript.Header("Transfer-Encoding"));
        }
    }
}
