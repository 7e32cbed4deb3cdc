namespace OpenModelClient;

/// <summary>Case-insensitive model-id patterns where <c>*</c> matches any run of characters (e.g. <c>qwen3.7-*</c>, <c>*-thinking-2507</c>, <c>*deepseek*</c>).</summary>
internal static class ModelPattern
{
    public static bool IsMatch(string pattern, string modelId)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(modelId);
        return IsMatch(pattern.AsSpan(), modelId.AsSpan());
    }

    public static bool MatchesAny(IEnumerable<string> patterns, string? modelId) =>
        modelId is not null && patterns.Any(p => IsMatch(p, modelId));

    private static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.Equals(text, StringComparison.OrdinalIgnoreCase);
        }

        var head = pattern[..star];
        if (!text.StartsWith(head, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        text = text[head.Length..];
        if (rest.IsEmpty)
        {
            return true;
        }

        // Try every position for the remainder; patterns are short, so backtracking is cheap.
        for (int i = 0; i <= text.Length; i++)
        {
            if (IsMatch(rest, text[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
