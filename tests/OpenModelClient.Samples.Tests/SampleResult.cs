namespace OpenModelClient.Samples.Tests;

/// <summary>What a sample process left behind: its exit code, standard output and standard error.</summary>
internal sealed record SampleResult(int ExitCode, string Output, string Error)
{
    /// <summary>The non-empty lines of standard error.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts that standard output contains the text, showing the whole run when it does not.</summary>
    public void AssertOutputContains(string expected) =>
        Assert.True(Output.Contains(expected, StringComparison.Ordinal), $"Expected in stdout: {expected}\n{this}");

    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
