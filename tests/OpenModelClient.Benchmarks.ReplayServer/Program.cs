using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenModelClient.Benchmarks;

// Serves BenchmarkPayloads from memory on 127.0.0.1 at full speed: POST or GET /{scenario}/anything answers that scenario's bytes.
// Prints "LISTENING <url>" once ready and exits when its standard input closes, so a parent that dies takes it along.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MinResponseDataRate = null;
    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
});

var app = builder.Build();
const int SliceBytes = 16 * 1024; // streamed bodies go out as chunked slices, as a busy server's flushes would
app.Run(async context =>
{
    var path = context.Request.Path.Value ?? "/";
    int end = path.IndexOf('/', 1);
    var scenario = end < 0 ? path[1..] : path[1..end];

    // "paced-<scenario>": the same stream, one event (or NDJSON line) every 1/30 s, as a server generating 30 tokens a second sends it.
    bool paced = scenario.StartsWith("paced-", StringComparison.Ordinal);
    scenario = paced ? scenario["paced-".Length..] : scenario;
    if (BenchmarkPayloads.Get(scenario) is not { } payload)
    {
        context.Response.StatusCode = 404;
        return;
    }

    // Read the request so that every client pays for sending it the same way.
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    context.Response.ContentType = payload.ContentType;
    if (!payload.IsStream)
    {
        context.Response.ContentLength = payload.Body.Length;
        await context.Response.Body.WriteAsync(payload.Body, context.RequestAborted);
        return;
    }

    var body = payload.Body.AsMemory();
    if (paced)
    {
        // One event (SSE) or line (NDJSON) per tick. A stamped scenario's text pieces get the send time, taken just before the write.
        var separator = payload.ContentType == "application/x-ndjson" ? "\n"u8.ToArray() : "\n\n"u8.ToArray();
        bool stamped = scenario.StartsWith("stamped-", StringComparison.Ordinal);
        var placeholder = Encoding.ASCII.GetBytes(BenchmarkPayloads.StampPlaceholder);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / 30));
        for (int start = 0; start < body.Length;)
        {
            int next = body.Span[start..].IndexOf(separator);
            int length = next < 0 ? body.Length - start : next + separator.Length;
            var chunk = body.Slice(start, length);
            int at = stamped ? chunk.Span.IndexOf(placeholder) : -1;
            if (at >= 0)
            {
                var copy = chunk.ToArray();
                Stopwatch.GetTimestamp().TryFormat(copy.AsSpan(at, placeholder.Length), out _, "D19", CultureInfo.InvariantCulture);
                chunk = copy;
            }

            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            start += length;
            await pace.WaitForNextTickAsync(context.RequestAborted);
        }

        return;
    }

    for (int offset = 0; offset < body.Length; offset += SliceBytes)
    {
        await context.Response.Body.WriteAsync(body.Slice(offset, Math.Min(SliceBytes, body.Length - offset)), context.RequestAborted);
    }
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
Console.Out.WriteLine($"LISTENING {address.TrimEnd('/')}/");
Console.Out.Flush();

// Prebuild the large bodies while the caller gets ready, so no measured request waits for them.
foreach (var scenario in args.Where(BenchmarkPayloads.IsKnown))
{
    BenchmarkPayloads.Get(scenario);
}

await Task.Run(() =>
{
    while (Console.In.ReadLine() is not null)
    {
    }
});
await app.StopAsync();
