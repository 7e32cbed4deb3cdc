namespace OpenModelClient.Conformance;

/// <summary>The result of one <see cref="ConformanceCheck"/>.</summary>
public sealed class ConformanceResult
{
    /// <summary>Initializes a new instance of the <see cref="ConformanceResult"/> class.</summary>
    /// <param name="check">The check.</param>
    /// <param name="outcome">What came of it.</param>
    /// <param name="detail">What was seen, or why it failed or was skipped.</param>
    /// <param name="isRequired">Whether the run fails when this check does not pass.</param>
    /// <param name="duration">How long the check took.</param>
    public ConformanceResult(ConformanceCheck check, ConformanceOutcome outcome, string detail, bool isRequired, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(detail);
        Check = check;
        Outcome = outcome;
        Detail = detail;
        IsRequired = isRequired;
        Duration = duration;
    }

    /// <summary>Gets the check.</summary>
    public ConformanceCheck Check { get; }

    /// <summary>Gets what came of the check.</summary>
    public ConformanceOutcome Outcome { get; }

    /// <summary>Gets what was seen (counts, types, values), or why the check failed or was skipped.</summary>
    public string Detail { get; }

    /// <summary>Gets a value indicating whether the run fails when this check does not pass.</summary>
    public bool IsRequired { get; }

    /// <summary>Gets how long the check took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets a value indicating whether the check passed.</summary>
    public bool Passed => Outcome == ConformanceOutcome.Passed;

    /// <inheritdoc />
    public override string ToString() => $"{Check}: {Outcome} ({Detail})";
}
