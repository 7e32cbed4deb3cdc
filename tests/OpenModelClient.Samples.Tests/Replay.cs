using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>Recorded responses for the samples, and a port where nothing listens.</summary>
internal static class Replay
{
    /// <summary>The streamed text of <c>llama.cpp/chat-stream-include-usage</c> (a random-weights model, hence the gibberish).</summary>
    public const string LlamaCppStreamText = "(@\" uint edge Backgroundatlea Eclipsecept";

    /// <summary>The footer's tokens for that stream: 29 prompt and 8 output tokens, 2362.67 tokens/s as llama.cpp measured it.</summary>
    public const string LlamaCppStreamTokens = "29 prompt + 8 output tokens";

    public static ReplayResponse Fixture(string provider, string scenario) => ReplayResponse.FromFixture(provider, scenario);

    /// <summary>A recorded JSON response with its body edited, e.g. to name this sample's tools instead of the recording's.</summary>
    public static ReplayResponse EditedJson(string provider, string scenario, Action<JsonNode> edit)
    {
        var transcript = HttpTranscript.Load(provider, scenario);
        var body = JsonNode.Parse(transcript.Body)!;
        edit(body);
        return ReplayResponse.Json(transcript.StatusCode, body.ToJsonString());
    }

    /// <summary>A loopback port nothing listens on: it was free a moment ago and is closed again.</summary>
    public static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string Endpoint(ReplayServer server) => server.BaseAddress.ToString().TrimEnd('/');

    public static string BodyText(RecordedRequest request) => Encoding.UTF8.GetString(request.Body);
}
