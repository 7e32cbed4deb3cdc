namespace OpenModelClient;

/// <summary>The switches of the <see cref="Microsoft.Extensions.Hosting.OpenModelHostApplicationBuilderExtensions"/> integration, read from
/// <c>Aspire:OpenModelClient:{name}</c> next to the client's own keys, as .NET Aspire client integrations do.</summary>
public sealed class OpenModelClientSettings
{
    /// <summary>Gets or sets a value indicating whether the health check (<see cref="OpenModelHealthCheck"/>, named <c>openmodel-{name}</c>) is left out.</summary>
    /// <value>The default is <see langword="false"/>: a chat client registers one. Embedding generators never do.</value>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Gets or sets a value indicating whether the <c>OpenModelClient</c> activity source is left out of the OpenTelemetry tracer provider.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DisableTracing { get; set; }

    /// <summary>Gets or sets a value indicating whether the <c>OpenModelClient</c> meter is left out of the OpenTelemetry meter provider.</summary>
    /// <value>The default is <see langword="false"/>. With tracing off too, the client emits no telemetry at all (<c>Telemetry:Enabled</c> false).</value>
    public bool DisableMetrics { get; set; }
}
