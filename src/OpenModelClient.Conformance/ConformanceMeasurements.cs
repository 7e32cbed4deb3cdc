namespace OpenModelClient.Conformance;

/// <summary>What the checks measured on the way, gathered into the report.</summary>
internal sealed class ConformanceMeasurements
{
    public TimeSpan? TimeToFirstToken { get; set; }

    public double? OutputTokensPerSecond { get; set; }

    public string? OutputTokensPerSecondSource { get; set; }

    public long? ContextLength { get; set; }

    public string? ReasoningSource { get; set; }
}
