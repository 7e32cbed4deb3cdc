using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Ollama.OllamaTestSupport;

namespace OpenModelClient.Tests.Ollama;

/// <summary>The server's version decides what is sent: <c>think: "max"</c> only from Ollama 0.22 on, read from <c>/api/version</c> only when it matters.</summary>
public class OllamaVersionDialectTests
{
    private static ReplayResponse Version(string version) =>
        ReplayResponse.Json(200, $$"""{"version":"{{version}}"}""").ForRequest("GET", "/api/version");

    private static ReplayResponse Answer() => Fixture("chat-nonstream-thinking").ForRequest("POST", "/api/chat");

    private static ChatOptions Effort(ReasoningEffort effort) => new() { Reasoning = new ReasoningOptions { Effort = effort } };

    [Theory]
    [InlineData("0.22.0", "max")]
    [InlineData("0.23.1-rc2", "max")]
    [InlineData("1.0.0", "max")]
    [InlineData("0.21.9", "high")]
    [InlineData("0.5.1", "high")]
    [InlineData("not-a-version", "high")]
    public async Task ExtraHigh_is_max_only_on_servers_that_take_it(string version, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Version(version), Answer(), Answer());
        using var client = ChatClient(server, "gpt-oss:20b");

        await client.GetResponseAsync("Hi", Effort(ReasoningEffort.ExtraHigh), Ct);
        await client.GetResponseAsync("Hi", Effort(ReasoningEffort.ExtraHigh), Ct);

        var chats = server.Requests.Where(r => r.PathAndQuery == "/api/chat").ToList();
        Assert.All(chats, c => Assert.Equal(expected, (string?)c.BodyJson!["think"]));
        Assert.Single(server.Requests, r => r.PathAndQuery == "/api/version"); // read once and kept
    }

    [Fact]
    public async Task An_unreadable_version_sends_high_as_before()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(404, """{"error":"not found"}""").ForRequest("GET", "/api/version"), Answer());
        using var client = ChatClient(server, "gpt-oss:20b");

        var response = await client.GetResponseAsync("Hi", Effort(ReasoningEffort.ExtraHigh), Ct);

        Assert.NotNull(response);
        Assert.Equal("high", (string?)server.Requests.Single(r => r.PathAndQuery == "/api/chat").BodyJson!["think"]);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "false")]
    [InlineData(ReasoningEffort.Low, "\"low\"")]
    [InlineData(ReasoningEffort.High, "\"high\"")]
    public async Task Other_efforts_never_ask_the_version_and_never_send_a_word_Ollama_rejects(ReasoningEffort effort, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = ChatClient(server, "gpt-oss:20b");

        await client.GetResponseAsync("Hi", Effort(effort), Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal(expected, request.BodyJson!["think"]!.ToJsonString());
    }

    [Theory]
    [InlineData("0.22.1", "0.22.1")]
    [InlineData("v0.23", "0.23")]
    [InlineData("0.22.0-rc3", "0.22.0")]
    [InlineData("0.12.3+local", "0.12.3")]
    [InlineData("", null)]
    [InlineData("dev", null)]
    public void Versions_parse_as_Ollama_prints_them(string text, string? expected) =>
        Assert.Equal(expected, OllamaVersionProbe.Parse(text)?.ToString());
}
