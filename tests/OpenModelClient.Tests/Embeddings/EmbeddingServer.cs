using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenModelClient.Tests.Embeddings;

/// <summary>A Kestrel server on 127.0.0.1 answering OpenAI-style <c>/v1/embeddings</c>: each input's embedding is its number
/// (the digits after "doc-"), so order can be checked. "fail" is refused with 400; "flaky" is answered 503 the first time.</summary>
internal sealed class EmbeddingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string[]> _batches = new();
    private int _flakyServed;
    private int _inFlight;
    private int _maxInFlight;

    private EmbeddingServer(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.First());

    public TimeSpan Delay { get; set; }

    public IReadOnlyCollection<string[]> Batches => _batches;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<EmbeddingServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new EmbeddingServer(app);
        app.MapPost("/v1/embeddings", (Delegate)server.EmbedAsync);
        await app.StartAsync(cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task<IResult> EmbedAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        string[] inputs = [.. body!["input"]!.AsArray().Select(n => n!.GetValue<string>())];
        _batches.Enqueue(inputs);
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            await Task.Delay(Delay, context.RequestAborted);
            if (inputs.Contains("fail"))
            {
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = 400, ["message"] = "input rejected", ["type"] = "invalid_request_error" } }, statusCode: 400);
            }

            if (inputs.Contains("flaky") && Interlocked.Increment(ref _flakyServed) == 1)
            {
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = 503, ["message"] = "Loading model", ["type"] = "unavailable_error" } }, statusCode: 503);
            }

            var data = new JsonArray();
            for (int i = 0; i < inputs.Length; i++)
            {
                float value = inputs[i].StartsWith("doc-", StringComparison.Ordinal) ? float.Parse(inputs[i][4..], System.Globalization.CultureInfo.InvariantCulture) : -1;
                data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(value, 1f) });
            }

            return Results.Json(new JsonObject
            {
                ["object"] = "list",
                ["model"] = "tiny",
                ["data"] = data,
                ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Length * 2, ["total_tokens"] = inputs.Length * 2 },
            });
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
