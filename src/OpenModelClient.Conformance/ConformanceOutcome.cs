namespace OpenModelClient.Conformance;

/// <summary>What came of one <see cref="ConformanceCheck"/>.</summary>
public enum ConformanceOutcome
{
    /// <summary>The endpoint did what the check expects.</summary>
    Passed,

    /// <summary>The endpoint answered wrongly, with an error, or not at all; <see cref="ConformanceResult.Detail"/> says why.</summary>
    Failed,

    /// <summary>The check was not run (nothing to run it with, or a check it depends on failed); <see cref="ConformanceResult.Detail"/> says why.</summary>
    Skipped,
}
