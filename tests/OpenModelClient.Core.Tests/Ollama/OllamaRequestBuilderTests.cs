using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Ollama;

/// <summary>The pure parts of request building; the wire shape as a whole is tested in <see cref="OllamaChatClientRequestTests"/>.</summary>
public sealed class OllamaRequestBuilderTests
{
    public static TheoryData<TimeSpan, string> KeepAlives => new()
    {
        { TimeSpan.Zero, "\"0s\"" },
        { TimeSpan.FromMinutes(5), "\"5m\"" },
        { TimeSpan.FromSeconds(90), "\"1m30s\"" },
        { TimeSpan.FromHours(24), "\"24h\"" },
        { TimeSpan.FromMilliseconds(1500), "\"1s500ms\"" },
        { new TimeSpan(1, 2, 3), "\"1h2m3s\"" },
        { Timeout.InfiniteTimeSpan, "-1" },
        { TimeSpan.FromMinutes(-3), "-1" },
    };

    [Theory]
    [MemberData(nameof(KeepAlives))]
    public void KeepAliveValue_IsAGoDurationOrMinusOne(TimeSpan value, string expectedJson) =>
        JsonAssert.Equal(expectedJson, OllamaRequestBuilder.KeepAliveValue(value));

    [Theory]
    [InlineData(OllamaThinkMode.Disabled, "false")]
    [InlineData(OllamaThinkMode.Enabled, "true")]
    [InlineData(OllamaThinkMode.Low, "\"low\"")]
    [InlineData(OllamaThinkMode.Medium, "\"medium\"")]
    [InlineData(OllamaThinkMode.High, "\"high\"")]
    [InlineData(OllamaThinkMode.Max, "\"max\"")]
    public void ThinkFor_Mode_IsTheWireValue(OllamaThinkMode mode, string expectedJson) =>
        JsonAssert.Equal(expectedJson, OllamaRequestBuilder.ThinkFor(mode));

    [Fact]
    public void MapMessages_ToolResultWithoutAMatchingCall_OmitsToolNameButKeepsTheId()
    {
        var messages = OllamaRequestBuilder.MapMessages([new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_x", new Dictionary<string, int> { ["t"] = 22 })])], instructions: null);

        JsonAssert.Equal("""[{"role":"tool","content":"{\"t\":22}","tool_call_id":"call_x"}]""", messages);
    }

    [Fact]
    public void MapMessages_ReasoningOnAUserMessage_IsNotSentAsThinking()
    {
        var messages = OllamaRequestBuilder.MapMessages([new ChatMessage(ChatRole.User, [new TextReasoningContent("hm"), new TextContent("hi")])], instructions: null);

        JsonAssert.Equal("""[{"role":"user","content":"hi"}]""", messages);
    }

    [Fact]
    public void ModelOptions_WriteTo_WritesOnlyWhatIsSet()
    {
        var target = new JsonObject { ["num_ctx"] = 1, ["keep"] = true };
        new OllamaModelOptions { NumCtx = 8192, Stop = ["a", "b"], MinP = 0.05f, NumGpu = -1 }.WriteTo(target);

        JsonAssert.Equal("""{"num_ctx":8192,"keep":true,"stop":["a","b"],"min_p":0.05,"num_gpu":-1}""", target);
    }
}
