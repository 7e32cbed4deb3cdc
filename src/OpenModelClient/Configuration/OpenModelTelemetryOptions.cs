namespace OpenModelClient;

/// <summary>Telemetry settings under the section's <c>Telemetry</c> key.</summary>
public sealed class OpenModelTelemetryOptions
{
    /// <summary>Gets or sets a value indicating whether OpenTelemetry spans and metrics (GenAI conventions) are emitted.</summary>
    /// <value>The default is <see langword="true"/>. Listen to the <c>OpenModelClient</c> activity source and meter.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether prompts and responses are recorded in spans and logs.</summary>
    /// <value>The default is <see langword="false"/>: message content is sensitive and stays out of telemetry unless enabled here.</value>
    public bool EnableSensitiveData { get; set; }
}
