using Microsoft.Playwright;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The WebChat page in headless Chromium: typing a prompt renders the answer streamed from a replayed llama.cpp server.</summary>
public sealed class WebChatBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    static WebChatBrowserTests() => Assertions.SetDefaultExpectTimeout(30_000); // a ceiling for a loaded machine, not a measure

    [Fact]
    public async Task Page_SendPrompt_RendersStreamedAnswerAndFooter()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));
        await using var host = await WebChatHost.StartAsync("--Chat:Profiles=llamacpp", $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(server)}");
        var page = await browser.NewPageAsync();

        await page.GotoAsync(host.Address.ToString());
        await Assertions.Expect(page.Locator("#profile option[value=llamacpp]")).ToHaveCountAsync(1);
        await page.FillAsync("#prompt", "Say hello in one short sentence.");
        await page.ClickAsync("#send");

        await Assertions.Expect(page.Locator(".turn.user")).ToHaveTextAsync("Say hello in one short sentence.");
        await Assertions.Expect(page.Locator(".assistant .answer")).ToHaveTextAsync(Replay.LlamaCppStreamText);
        await Assertions.Expect(page.Locator(".assistant .usage")).ToContainTextAsync(Replay.LlamaCppStreamTokens);
        await Assertions.Expect(page.Locator(".assistant .error")).ToHaveCountAsync(0);
        Assert.Equal("Say hello in one short sentence.", server.Requests.Single().BodyJson!["messages"]![0]!["content"]!.GetValue<string>());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Page_ReasoningStream_RendersReasoningApartFromAnswer()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-reasoning-budget-stream"));
        await using var host = await WebChatHost.StartAsync("--Chat:Profiles=llamacpp", $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(server)}");
        var page = await browser.NewPageAsync();

        await page.GotoAsync(host.Address.ToString());
        await page.FillAsync("#prompt", "What is 2+2?");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".assistant .usage")).ToContainTextAsync("12 prompt + 24 output tokens");
        Assert.Equal("\n BetweenValuesmense wszyst osob", await page.Locator(".assistant .reasoning").TextContentAsync());
        Assert.StartsWith(" indicate buildsvićday", await page.Locator(".assistant .answer").TextContentAsync(), StringComparison.Ordinal);
        await page.CloseAsync();
    }
}
