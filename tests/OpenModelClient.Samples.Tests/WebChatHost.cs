using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using WebChat;

namespace OpenModelClient.Samples.Tests;

/// <summary>The real WebChat app on a free loopback port, its profiles pointed where a test says, its spans collected in memory.</summary>
internal sealed class WebChatHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebChatHost(WebApplication app, List<Activity> spans)
    {
        _app = app;
        Spans = spans;
        Address = new Uri(app.Urls.Single().TrimEnd('/') + "/");
    }

    /// <summary>Gets the app's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the spans the app's tracer provider exported.</summary>
    public List<Activity> Spans { get; }

    /// <summary>Starts the app with these settings added to its command line (<c>--Chat:Profiles=…</c>, <c>--Profiles:…</c>).</summary>
    public static Task<WebChatHost> StartAsync(params string[] settings) => StartAsync(keepLogging: false, settings);

    /// <summary>Starts the app; with <paramref name="keepLogging"/> its default loggers stay, as in a real run (they make ASP.NET Core start a request activity).</summary>
    public static async Task<WebChatHost> StartAsync(bool keepLogging, params string[] settings)
    {
        var spans = new List<Activity>();
        var app = WebChatApp.Build(
            ["--urls=http://127.0.0.1:0", "--Telemetry:Exporter=None", "--Logging:LogLevel:Default=Warning", .. settings],
            builder =>
            {
                if (!keepLogging)
                {
                    builder.Logging.ClearProviders();
                }

                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new WebChatHost(app, spans);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
