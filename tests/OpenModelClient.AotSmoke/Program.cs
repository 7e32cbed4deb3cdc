// Native AOT smoke test: replays recorded server traffic over a loopback socket and drives the real clients through it.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using OpenModel.AotSmoke;
using OpenModelClient;

const string Expected = "(@\" uint edge Backgroundatlea Eclipsecept";
const string FinalAnswer = "data: {\"id\":\"f\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"It is 21 degrees.\"}}]}\n\ndata: {\"id\":\"f\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

await using var server = CannedHttpServer.Start(
    CannedHttpServer.FromRecording("chat.http"),
    CannedHttpServer.FromRecording("stream.http"),
    CannedHttpServer.FromRecording("tool-call.http"),
    CannedHttpServer.Sse(FinalAnswer),
    CannedHttpServer.FromRecording("ollama-thinking.http"));

using var llama = new LlamaCppChatClient(server.Endpoint);

var response = await llama.GetResponseAsync("hi");
Check(response.Text == Expected && response.Usage?.OutputTokenCount == 8, "non-streaming chat");

var streamed = await llama.GetStreamingResponseAsync("hi").ToChatResponseAsync();
Check(streamed.Text == Expected && streamed.FinishReason == ChatFinishReason.Length && streamed.Usage?.InputTokenCount == 29, "streaming chat");

int calls = 0;
var weather = AIFunctionFactory.Create(
    ([Description("City")] string city, [Description("Unit")] string unit) => { calls++; return $"21 degrees {unit} in {city}"; },
    new AIFunctionFactoryOptions { Name = "get_weather", SerializerOptions = SmokeJson.Default.Options });
using var agent = new ChatClientBuilder(llama).UseFunctionInvocation().Build();
var answer = await agent.GetStreamingResponseAsync("weather in Paris?", new ChatOptions { Tools = [weather] }).ToChatResponseAsync();
Check(calls == 1 && answer.Text == "It is 21 degrees.", "streamed tool call loop");

using var ollama = new OllamaChatClient(server.Endpoint, "qwen3");
var thought = await ollama.GetStreamingResponseAsync("2+2?").ToChatResponseAsync();
Check(thought.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Any() && thought.Text.Length > 0, "Ollama NDJSON with thinking");

Console.WriteLine("AOT smoke: chat, stream, tool call and Ollama thinking all passed.");
return 0;

static void Check(bool condition, string what)
{
    if (!condition)
    {
        Console.Error.WriteLine($"AOT smoke FAILED: {what}");
        Environment.Exit(1);
    }

    Console.WriteLine($"ok: {what}");
}

namespace OpenModel.AotSmoke
{
    [JsonSerializable(typeof(string))]
    internal sealed partial class SmokeJson : JsonSerializerContext;
}
