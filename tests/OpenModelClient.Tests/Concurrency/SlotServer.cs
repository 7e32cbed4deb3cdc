using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenModelClient.Tests.Concurrency;

/// <summary>A Kestrel server on 127.0.0.1 that speaks llama.cpp's chat completions and holds every reply until the test lets it
/// go, counting how many requests it has in hand at once.</summary>
internal sealed class SlotServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _release = new(0, int.MaxValue);
    private readonly ConcurrentQueue<JsonNode> _bodies = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> _headers = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _received;
    private int _propsReads;

    private SlotServer(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>Gets or sets whether replies wait for <see cref="Release"/>; when not, they are sent at once.</summary>
    public bool Hold { get; set; } = true;

    /// <summary>Gets or sets the <c>total_slots</c> reported by <c>/props</c>.</summary>
    public int TotalSlots { get; set; } = 4;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Received => Volatile.Read(ref _received);

    public int PropsReads => Volatile.Read(ref _propsReads);

    public IReadOnlyCollection<JsonNode> Bodies => _bodies;

    public IReadOnlyCollection<Dictionary<string, string>> Headers => _headers;

    public static async Task<SlotServer> StartAsync(string name = "server", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new SlotServer(app, name);
        app.MapGet("/props", (HttpContext context) =>
        {
            Interlocked.Increment(ref server._propsReads);
            return Results.Json(new JsonObject { ["total_slots"] = server.TotalSlots, ["default_generation_settings"] = new JsonObject { ["n_ctx"] = 4096 } });
        });
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        await app.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Lets <paramref name="count"/> held replies finish.</summary>
    public void Release(int count = 1) => _release.Release(count);

    public async Task WaitForAsync(Func<SlotServer, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(this))
        {
            await Task.Delay(10, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Hold = false;
        _release.Release(10_000);
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _release.Dispose();
    }

    private async Task ChatAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) ?? new JsonObject();
        _bodies.Enqueue(body);
        _headers.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)); // Kestrel reuses its header collection
        Interlocked.Increment(ref _received);
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            bool stream = body["stream"]?.GetValue<bool>() == true;
            if (stream)
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(Chunk("first", finish: null), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await WaitReleaseAsync(context.RequestAborted);
                await context.Response.WriteAsync(Chunk(" last", finish: "stop") + "data: [DONE]\n\n", context.RequestAborted);
            }
            else
            {
                await WaitReleaseAsync(context.RequestAborted);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    $$$"""{"id":"c1","object":"chat.completion","model":"tiny","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{{{Name}}}"}}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""",
                    context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task WaitReleaseAsync(CancellationToken cancellationToken)
    {
        if (Hold)
        {
            await _release.WaitAsync(cancellationToken);
        }
    }

    private static string Chunk(string content, string? finish) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","model":"tiny","choices":[{"index":0,"finish_reason":{{{(finish is null ? "null" : $"\"{finish}\"")}}},"delta":{"content":"{{{content}}}"}}]}""" + "\n\n";
}
