using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using OpenModelClient;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WebChat;

/// <summary>Builds the WebChat application; <c>Program.cs</c> runs it, and tests start it on a free port against a replay server.</summary>
public static class WebChatApp
{
    /// <summary>Configures services and endpoints from the command line, the environment and appsettings.json.</summary>
    /// <param name="args">The command line, e.g. <c>--urls=http://127.0.0.1:0 --Profiles:llamacpp:Endpoint=http://…</c>.</param>
    /// <param name="configure">Last changes to the builder before it builds, e.g. replacing a service in a test.</param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        string[] profiles = (builder.Configuration["Chat:Profiles"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string profile in profiles)
        {
            var section = builder.Configuration.GetSection($"Profiles:{profile}");
            string endpoint = section["Endpoint"] is { Length: > 0 } configured ? configured : $"{section["Provider"]}'s default endpoint";
            builder.Services.AddKeyedOpenModelChatClient(profile, section).Use(inner => FailoverAttempts.Record(inner, profile, endpoint));
        }

        builder.Services.AddOpenModelFailoverChatClient(profiles);
        AddTelemetry(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", () => Results.Content(IndexPage.Value, "text/html; charset=utf-8"));
        app.MapGet("/api/profiles", () => profiles);
        app.MapPost("/api/chat", Results<ServerSentEventsResult<string>, BadRequest<string>> (ChatRequest request, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var client = string.IsNullOrEmpty(request.Profile) ? services.GetRequiredService<IChatClient>() : services.GetKeyedService<IChatClient>(request.Profile);
            if (client is null)
            {
                return TypedResults.BadRequest($"There is no profile '{request.Profile}'. Profiles: {string.Join(", ", profiles)}.");
            }

            var messages = request.Messages.Select(m => new ChatMessage(m.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, m.Text)).ToList();
            return TypedResults.ServerSentEvents(StreamAsync(client, messages, cancellationToken));
        });
        return app;
    }

    private static readonly Lazy<string> IndexPage = new(() =>
    {
        using var stream = typeof(WebChatApp).Assembly.GetManifestResourceStream("WebChat.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>One event per piece: <c>reasoning</c> and <c>text</c> deltas, then <c>usage</c>, or an <c>error</c>.</summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(IChatClient client, List<ChatMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var meter = new StreamMeter();
        var attempts = FailoverAttempts.Begin();
        await using var updates = client.GetStreamingResponseAsync(messages, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            string? error = null;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    break;
                }
            }
            catch (HttpRequestException e)
            {
                // The 200 and the first events may be out already: the failure travels in the stream, typed errors carry a clear message.
                error = Describe(e, attempts.Failures);
            }

            if (error is not null)
            {
                yield return new SseItem<string>(error, "error");
                yield break;
            }

            meter.Observe(updates.Current);
            foreach (var content in updates.Current.Contents)
            {
                switch (content)
                {
                    case TextReasoningContent { Text.Length: > 0 } reasoning:
                        yield return new SseItem<string>(reasoning.Text, "reasoning");
                        break;
                    case TextContent { Text.Length: > 0 } text:
                        yield return new SseItem<string>(text.Text, "text");
                        break;
                }
            }
        }

        yield return new SseItem<string>(meter.ToString(), "usage");
    }

    /// <summary>The error event's text: with failover, every profile tried and why it failed, not only the last one.</summary>
    private static string Describe(HttpRequestException e, IReadOnlyList<string> failures)
    {
        bool unreachable = e is { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } and not OpenModelException;
        const string Hint = "Start llama-server or Ollama, or point Profiles:<name>:Endpoint at your server.";
        if (failures.Count > 1)
        {
            return $"No profile answered. Tried {failures.Count}: {string.Join("; ", failures)}." + (unreachable ? " " + Hint : "");
        }

        return unreachable ? $"No model server answered ({e.Message}). {Hint}" : e.Message;
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("WebChat"))
            // ASP.NET Core's request span is the parent of the library's chat span: unless it is sampled too, the default parent-based
            // sampler drops every chat span (the request activity exists for log correlation but is not recorded).
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(OpenModelTelemetry.SourceName))
            .WithMetrics(metrics => metrics.AddMeter(OpenModelTelemetry.SourceName));

        // OTLP when an endpoint is configured (the standard OTEL_EXPORTER_OTLP_ENDPOINT), else Telemetry:Exporter: Console or None.
        string exporter = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ? "Otlp" : builder.Configuration["Telemetry:Exporter"] ?? "Console";
        switch (exporter.ToUpperInvariant())
        {
            case "OTLP":
                telemetry.UseOtlpExporter();
                break;
            case "CONSOLE":
                telemetry.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
                break;
        }
    }
}
