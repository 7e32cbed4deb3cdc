using System.Globalization;
using System.Text;

namespace OpenModelClient.Conformance;

/// <summary>What a <see cref="ConformanceRunner"/> found: one result per check, and what it measured on the way.</summary>
public sealed class ConformanceReport
{
    internal ConformanceReport(IReadOnlyList<ConformanceResult> results, ConformanceMeasurements measurements)
    {
        Results = results;
        TimeToFirstToken = measurements.TimeToFirstToken;
        OutputTokensPerSecond = measurements.OutputTokensPerSecond;
        OutputTokensPerSecondSource = measurements.OutputTokensPerSecondSource;
        ContextLength = measurements.ContextLength;
        ReasoningSource = measurements.ReasoningSource;
    }

    /// <summary>Gets the results, in the order the checks ran.</summary>
    public IReadOnlyList<ConformanceResult> Results { get; }

    /// <summary>Gets the time from sending the streamed request to its first text, or <see langword="null"/> when streaming failed.</summary>
    public TimeSpan? TimeToFirstToken { get; }

    /// <summary>Gets the generation speed in output tokens per second, or <see langword="null"/> when it could not be measured.</summary>
    public double? OutputTokensPerSecond { get; }

    /// <summary>Gets where <see cref="OutputTokensPerSecond"/> comes from: <c>server</c> (the server's own timings) or <c>client</c> (tokens over time between first and last update).</summary>
    public string? OutputTokensPerSecondSource { get; }

    /// <summary>Gets the context length the endpoint reports, or <see langword="null"/> when it reports none.</summary>
    public long? ContextLength { get; }

    /// <summary>Gets where the reasoning came from (the provider's reasoning field as the client names it), or <see langword="null"/> when none came.</summary>
    public string? ReasoningSource { get; }

    /// <summary>Gets a value indicating whether every required check passed.</summary>
    public bool Succeeded => Results.All(r => !r.IsRequired || r.Passed);

    /// <summary>Gets the result of one check, or <see langword="null"/> when it was not run.</summary>
    /// <param name="check">The check.</param>
    /// <returns>Its result.</returns>
    public ConformanceResult? this[ConformanceCheck check] => Results.FirstOrDefault(r => r.Check == check);

    /// <summary>Formats the report as a plain-text table: one line per check (result, required or not, what was seen), then the measurements.</summary>
    /// <returns>The table.</returns>
    public string ToTable()
    {
        var rows = Results.Select(r => (Name: CheckName(r.Check), Result: Mark(r), Required: r.IsRequired ? "required" : "optional", r.Detail)).ToList();
        int nameWidth = Math.Max("check".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        int resultWidth = Math.Max("result".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Result.Length));
        var text = new StringBuilder();
        text.Append("check".PadRight(nameWidth)).Append("  ").Append("result".PadRight(resultWidth)).Append("  ").Append("required  ").AppendLine("detail");
        foreach (var row in rows)
        {
            text.Append(row.Name.PadRight(nameWidth)).Append("  ").Append(row.Result.PadRight(resultWidth)).Append("  ").Append(row.Required.PadRight(8)).Append("  ").AppendLine(row.Detail);
        }

        text.AppendLine();
        text.Append("time to first token: ").AppendLine(TimeToFirstToken is { } ttft ? string.Create(CultureInfo.InvariantCulture, $"{ttft.TotalMilliseconds:0} ms") : "not measured");
        text.Append("output tokens per second: ").AppendLine(OutputTokensPerSecond is { } rate ? string.Create(CultureInfo.InvariantCulture, $"{rate:0.0} ({OutputTokensPerSecondSource})") : "not measured");
        text.Append("context length: ").AppendLine(ContextLength is { } context ? context.ToString(CultureInfo.InvariantCulture) : "not reported");
        text.Append("reasoning field: ").AppendLine(ReasoningSource ?? "none seen");
        int failedRequired = Results.Count(r => r.IsRequired && !r.Passed);
        text.Append(Succeeded ? "verdict: every required check passed" : string.Create(CultureInfo.InvariantCulture, $"verdict: {failedRequired} required check(s) did not pass"));
        return text.ToString();
    }

    /// <summary>Gets the name a check is shown under, e.g. <c>parallel tools</c>.</summary>
    /// <param name="check">The check.</param>
    /// <returns>Its display name.</returns>
    public static string CheckName(ConformanceCheck check) => check switch
    {
        ConformanceCheck.Chat => "chat",
        ConformanceCheck.Streaming => "streaming",
        ConformanceCheck.UsageInStream => "usage in stream",
        ConformanceCheck.ServerTimings => "server timings",
        ConformanceCheck.Tools => "tools",
        ConformanceCheck.StreamedTools => "streamed tools",
        ConformanceCheck.ParallelTools => "parallel tools",
        ConformanceCheck.JsonSchema => "json schema",
        ConformanceCheck.Reasoning => "reasoning",
        ConformanceCheck.Embeddings => "embeddings",
        ConformanceCheck.ContextLength => "context length",
        _ => check.ToString(),
    };

    private static string Mark(ConformanceResult result) => result.Outcome switch
    {
        ConformanceOutcome.Passed => "works",
        ConformanceOutcome.Failed => "FAILS",
        _ => "skipped",
    };
}
