using System.Globalization;

namespace OpenModelClient;

/// <summary>llama.cpp build numbers, as <c>/props</c> reports them in <c>build_info</c> (<c>b10309-82bb485</c>).</summary>
internal static class LlamaCppBuilds
{
    /// <summary>The build the 2026 server features were checked against: resumable streams (<c>X-Conversation-Id</c>, <c>/v1/stream</c>),
    /// <c>/v1/chat/completions/input_tokens</c>, router mode and <c>reasoning_control</c>.</summary>
    public const int ServerFeatures2026 = 10309;

    /// <summary>Whether the build is known to be at least <paramref name="build"/>: <see langword="true"/> or <see langword="null"/> (unknown), never <see langword="false"/>,
    /// since a build number says when a feature arrived only for the builds this library was checked against.</summary>
    public static bool? AtLeast(string? buildInfo, int build) =>
        Number(buildInfo) is { } number && number >= build ? true : null;

    /// <summary>The build number of <c>b10309-82bb485</c>, or <see langword="null"/> for any other form.</summary>
    public static int? Number(string? buildInfo)
    {
        if (buildInfo is not { Length: > 1 } || buildInfo[0] != 'b')
        {
            return null;
        }

        int end = buildInfo.IndexOf('-', StringComparison.Ordinal);
        var digits = buildInfo.AsSpan(1, (end < 0 ? buildInfo.Length : end) - 1);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
    }
}
