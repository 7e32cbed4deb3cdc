using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenModelClient;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers OpenModelClient chat clients and embedding generators on a host builder by connection name, in the conventions of .NET Aspire client integrations.</summary>
/// <remarks>
/// <para>For a connection name <c>chat</c> the settings come from, in this order (later wins): the section <c>Aspire:OpenModelClient:chat</c>
/// (the usual keys such as <c>Provider</c>, <c>Model</c>, <c>Timeouts:Total</c>, plus the <see cref="OpenModelClientSettings"/> switches),
/// the connection string <c>ConnectionStrings:chat</c> (<c>Endpoint=…;Model=…;Provider=…;Key=…</c>, where <c>Key</c> or <c>AccessKey</c>
/// is the API key and a missing <c>Provider</c> is inferred from the endpoint where it can be), then the code's <c>configureOptions</c>.
/// Invalid settings fail at start-up with a message that names the key.</para>
/// <para>A chat client gets a health check named <c>openmodel-{name}</c>; the <c>OpenModelClient</c> activity source and meter are added
/// to OpenTelemetry's providers when the application uses the OpenTelemetry SDK. Each has a <c>Disable…</c> switch.</para>
/// </remarks>
public static class OpenModelHostApplicationBuilderExtensions
{
    /// <summary>The configuration section that holds each connection's settings: <c>Aspire:OpenModelClient:{name}</c>.</summary>
    public const string SettingsSectionPrefix = "Aspire:OpenModelClient";

    /// <summary>Registers the <see cref="IChatClient"/> of a named connection.</summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="connectionName">The connection name, e.g. <c>chat</c>: <c>ConnectionStrings:chat</c> and <c>Aspire:OpenModelClient:chat</c>.</param>
    /// <param name="configureSettings">Changes the integration's switches after configuration is read.</param>
    /// <param name="configureOptions">Changes the client's options after configuration is read.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to, e.g. <c>.UseFunctionInvocation()</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionName"/> is empty.</exception>
    public static ChatClientBuilder AddOpenModelChatClient(this IHostApplicationBuilder builder, string connectionName, Action<OpenModelClientSettings>? configureSettings = null, Action<OpenModelClientOptions>? configureOptions = null) =>
        AddChatClient(builder, connectionName, serviceKey: null, configureSettings, configureOptions);

    /// <summary>Registers the <see cref="IChatClient"/> of a named connection as a keyed service whose key is <paramref name="name"/>.</summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="name">The connection name, also the service key.</param>
    /// <param name="configureSettings">Changes the integration's switches after configuration is read.</param>
    /// <param name="configureOptions">Changes the client's options after configuration is read.</param>
    /// <returns>A <see cref="ChatClientBuilder"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static ChatClientBuilder AddKeyedOpenModelChatClient(this IHostApplicationBuilder builder, string name, Action<OpenModelClientSettings>? configureSettings = null, Action<OpenModelClientOptions>? configureOptions = null) =>
        AddChatClient(builder, name, serviceKey: name, configureSettings, configureOptions);

    /// <summary>Registers the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of a named connection (its <c>EmbeddingModel</c>, else <c>Model</c>).</summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="connectionName">The connection name: <c>ConnectionStrings:{name}</c> and <c>Aspire:OpenModelClient:{name}</c>.</param>
    /// <param name="configureSettings">Changes the integration's switches after configuration is read.</param>
    /// <param name="configureOptions">Changes the generator's options after configuration is read.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionName"/> is empty.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddOpenModelEmbeddingGenerator(this IHostApplicationBuilder builder, string connectionName, Action<OpenModelClientSettings>? configureSettings = null, Action<OpenModelClientOptions>? configureOptions = null) =>
        AddEmbeddingGenerator(builder, connectionName, serviceKey: null, configureSettings, configureOptions);

    /// <summary>Registers the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of a named connection as a keyed service whose key is <paramref name="name"/>.</summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="name">The connection name, also the service key.</param>
    /// <param name="configureSettings">Changes the integration's switches after configuration is read.</param>
    /// <param name="configureOptions">Changes the generator's options after configuration is read.</param>
    /// <returns>An <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> to add middleware to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedOpenModelEmbeddingGenerator(this IHostApplicationBuilder builder, string name, Action<OpenModelClientSettings>? configureSettings = null, Action<OpenModelClientOptions>? configureOptions = null) =>
        AddEmbeddingGenerator(builder, name, serviceKey: name, configureSettings, configureOptions);

    private static ChatClientBuilder AddChatClient(IHostApplicationBuilder builder, string connectionName, object? serviceKey, Action<OpenModelClientSettings>? configureSettings, Action<OpenModelClientOptions>? configureOptions)
    {
        var (settings, configure, path) = Prepare(builder, connectionName, configureSettings, configureOptions);
        var chat = OpenModelServiceCollectionExtensions.AddChatClientCore(builder.Services, serviceKey, configuration: null, configure, ServiceLifetime.Singleton, path);
        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddOpenModelHealthCheck(serviceKey, name: $"openmodel-{connectionName}");
        }

        return chat;
    }

    private static EmbeddingGeneratorBuilder<string, Embedding<float>> AddEmbeddingGenerator(IHostApplicationBuilder builder, string connectionName, object? serviceKey, Action<OpenModelClientSettings>? configureSettings, Action<OpenModelClientOptions>? configureOptions)
    {
        var (_, configure, path) = Prepare(builder, connectionName, configureSettings, configureOptions);
        return OpenModelServiceCollectionExtensions.AddEmbeddingGeneratorCore(builder.Services, serviceKey, configuration: null, configure, ServiceLifetime.Singleton, path);
    }

    private static (OpenModelClientSettings Settings, Action<OpenModelClientOptions> Configure, string Path) Prepare(
        IHostApplicationBuilder builder, string connectionName, Action<OpenModelClientSettings>? configureSettings, Action<OpenModelClientOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        string settingsPath = $"{SettingsSectionPrefix}:{connectionName}";
        var section = builder.Configuration.GetSection(settingsPath);
        var settings = new OpenModelClientSettings
        {
            DisableHealthChecks = ReadSwitch(section, nameof(OpenModelClientSettings.DisableHealthChecks)),
            DisableTracing = ReadSwitch(section, nameof(OpenModelClientSettings.DisableTracing)),
            DisableMetrics = ReadSwitch(section, nameof(OpenModelClientSettings.DisableMetrics)),
        };
        configureSettings?.Invoke(settings);

        string? connectionString = builder.Configuration.GetConnectionString(connectionName);
        string connectionPath = $"ConnectionStrings:{connectionName}";
        void Configure(OpenModelClientOptions options)
        {
            OpenModelOptionsBinder.Bind(section, options, settingsPath, Switches);
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                OpenModelConnectionString.Apply(connectionString, options, connectionPath);
            }

            if (settings.DisableTracing && settings.DisableMetrics)
            {
                options.Telemetry.Enabled = false;
            }

            configureOptions?.Invoke(options);
        }

        if (!settings.DisableTracing)
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(OpenModelTelemetry.SourceName));
        }

        if (!settings.DisableMetrics)
        {
            builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(OpenModelTelemetry.SourceName));
        }

        // Keys missing from both places are named where an operator would add them: the connection string when there is one.
        return (settings, Configure, string.IsNullOrWhiteSpace(connectionString) ? settingsPath : connectionPath);
    }

    private static readonly HashSet<string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(OpenModelClientSettings.DisableHealthChecks), nameof(OpenModelClientSettings.DisableTracing), nameof(OpenModelClientSettings.DisableMetrics),
    };

    private static bool ReadSwitch(IConfigurationSection section, string key) => section[key] switch
    {
        null or "" => false,
        { } value when bool.TryParse(value, out bool on) => on,
        { } value => throw new InvalidOperationException($"{section.Path}:{key} '{value}' must be true or false."),
    };
}
