using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Guards;

public class JsonSchemaGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonElement Order = JsonElement.Parse("""
        {"type":"object","additionalProperties":false,"required":["customer","items"],
         "properties":{
           "customer":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"type":"string"},"vip":{"type":"boolean"}}},
           "items":{"type":"array","minItems":1,"items":{"type":"object","required":["kind","qty"],"properties":{"kind":{"enum":["tea","coffee"]},"qty":{"type":"integer","minimum":1}}}}}}
        """);

    /// <summary>Replies a server returned while ignoring the schema → the first violation, located by JSON Pointer.</summary>
    public static TheoryData<string, string?> Replies() => new()
    {
        { """{"customer":{"name":"Ada"},"items":[{"kind":"tea","qty":2}]}""", null },
        { """{"customer":{"name":"Ada","vip":true},"items":[{"kind":"coffee","qty":1},{"kind":"tea","qty":3}]}""", null },
        { """{"customer":{"name":"Ada"},"items":[{"kind":"beer","qty":2}]}""", "/items/0/kind" },
        { """{"customer":{"name":"Ada"},"items":[{"kind":"tea","qty":0}]}""", "/items/0/qty" },
        { """{"customer":{},"items":[{"kind":"tea","qty":1}]}""", "/customer" },
        { """{"customer":{"name":"Ada","email":"a@b"},"items":[{"kind":"tea","qty":1}]}""", "/customer/email" },
        { """{"customer":{"name":"Ada"},"items":[{"kind":"tea","qty":1}],"note":"x"}""", "/note" },
        { """{"customer":{"name":"Ada"},"items":[]}""", "/items" },
        { """{"customer":{"name":"Ada"},"items":"tea"}""", "/items" },
        { "[1,2]", "/" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void FirstViolation_NestedObjectsArraysEnumsAndAdditionalProperties(string reply, string? location)
    {
        using var document = JsonDocument.Parse(reply);
        string? violation = JsonSchemaValidation.FirstViolation(Order, document.RootElement);
        if (location is null)
        {
            Assert.Null(violation);
        }
        else
        {
            Assert.NotNull(violation);
            Assert.Equal(location, violation[..violation.IndexOf(": ", StringComparison.Ordinal)]);
        }
    }

    private static ReplayResponse Reply(string content, bool stream) => stream
        ? ReplayResponse.Sse(
            $$$"""
            data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":{{{JsonSerializer.Serialize(content[..(content.Length / 2)])}}}},"finish_reason":null}]}

            data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":{{{JsonSerializer.Serialize(content[(content.Length / 2)..])}}}},"finish_reason":"stop"}]}

            data: [DONE]


            """)
        : ReplayResponse.Json(200, $$$"""{"id":"chatcmpl-s","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(content)}}}},"finish_reason":"stop"}]}""");

    private static ChatOptions Options => new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(Order, "order") };

    private const string Ignored = """{"customer":{"name":"Ada"},"items":[{"kind":"beer","qty":2}]}""";

    private static async Task<ChatResponse> AskAsync(IChatClient client, ChatOptions options, bool stream, List<ChatResponseUpdate>? seen = null)
    {
        if (!stream)
        {
            return await client.GetResponseAsync("An order, please.", options, Ct);
        }

        seen ??= [];
        await foreach (var update in client.GetStreamingResponseAsync("An order, please.", options, Ct))
        {
            seen.Add(update);
        }

        return seen.ToChatResponse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IgnoredSchema_ConfiguredClient_RaisesWithTheTextAndTheFirstViolation(bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Reply(Ignored, stream));
        await using var hosted = HostedClient.Create(server);
        var seen = new List<ChatResponseUpdate>();

        var e = await Assert.ThrowsAsync<ResponseSchemaViolationException>(() => AskAsync(hosted.Client, Options, stream, seen));

        Assert.Equal(Ignored, e.ResponseText);
        Assert.StartsWith("/items/0/kind: ", e.Violation, StringComparison.Ordinal);
        Assert.Equal("order", e.SchemaName);
        Assert.Equal(OpenModelErrorKind.ResponseSchemaViolated, e.Kind);
        Assert.DoesNotContain(seen, u => u.Text.Length > 0); // streamed, the caller never saw the wrong data
        Assert.NotNull(server.Requests[0].BodyJson!["response_format"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConformingReply_PassesThrough(bool stream)
    {
        const string good = """{"customer":{"name":"Ada"},"items":[{"kind":"tea","qty":2}]}""";
        await using var server = await ReplayServer.StartAsync(Reply(good, stream));
        await using var hosted = HostedClient.Create(server);

        var response = await AskAsync(hosted.Client, Options, stream);

        Assert.Equal(good, response.Text);
    }

    [Fact]
    public async Task NotJsonAtAll_RaisesWithTheParserMessage()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-json-object-unconstrained-nonstream"));
        await using var hosted = HostedClient.Create(server);

        var e = await Assert.ThrowsAsync<ResponseSchemaViolationException>(() => hosted.Client.GetResponseAsync("Reply with a JSON object.", Options, Ct));

        Assert.StartsWith("the reply is not valid JSON (", e.Violation, StringComparison.Ordinal);
        Assert.StartsWith("sets]/limjamin", e.ResponseText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SkipCheck_PerRequest_ReturnsTheReplyAndNeverSendsTheMark(bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Reply(Ignored, stream));
        await using var hosted = HostedClient.Create(server);

        var response = await AskAsync(hosted.Client, JsonSchemaGuardChatClient.SkipCheck(Options), stream);

        Assert.Equal(Ignored, response.Text);
        Assert.DoesNotContain(server.Requests[0].BodyJson!.AsObject(), p => p.Key.StartsWith("openmodel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GuardOffInConfiguration_WrongDataReachesTheCaller()
    {
        await using var server = await ReplayServer.StartAsync(Reply(Ignored, stream: false));
        await using var hosted = HostedClient.Create(server, ("Guards:Schema:Enabled", "false"));

        var response = await hosted.Client.GetResponseAsync("An order, please.", Options, Ct);

        Assert.Equal(Ignored, response.Text);
    }

    [Fact]
    public async Task UseJsonSchemaGuard_OnAnyClient_Checks()
    {
        await using var server = await ReplayServer.StartAsync(Reply(Ignored, stream: false));
        using var client = new LlamaCppChatClient(server.BaseAddress).AsBuilder().UseJsonSchemaGuard().Build();

        await Assert.ThrowsAsync<ResponseSchemaViolationException>(() => client.GetResponseAsync("An order, please.", Options, Ct));
    }

    [Theory]
    [InlineData("Guards:AnswerRoom:AnswerShare", "1.5", "must be a number greater than 0 and less than 1")]
    [InlineData("Guards:AnswerRoom:Enabled", "maybe", "must be true or false")]
    [InlineData("Guards:ToolCallRepair:MaxCorrections", "11", "must be a whole number from 0")]
    [InlineData("Guards:Schema:Enabld", "false", "is not a known key")]
    public void InvalidGuardSetting_FailsAtStartUpNamingTheKey(string key, string value, string message)
    {
        var values = new Dictionary<string, string?> { ["OpenModel:Provider"] = "LlamaCpp", ["OpenModel:Endpoint"] = "http://127.0.0.1:1", ["OpenModel:" + key] = value };
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName));

        Assert.Contains("OpenModel:" + key, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidGuardSetting_InCode_FailsNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(o => { o.Provider = OpenModelProvider.LlamaCpp; o.Endpoint = new Uri("http://127.0.0.1:1"); o.Guards.AnswerShare = 0; });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<OpenModelClientOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName));

        Assert.Contains("Guards:AnswerRoom:AnswerShare", e.Message, StringComparison.Ordinal);
    }
}
