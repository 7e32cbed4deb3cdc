using System.Text.RegularExpressions;

namespace OpenModelClient;

/// <summary>Model Studio's OpenAI-compatible base URLs: one per region on the shared DashScope domain, or a workspace-dedicated domain.</summary>
/// <remarks>
/// Keys are bound to a region and a plan: a key used against another region's URL, or a Coding/Token Plan key against these, gets 401.
/// For other plans' hosts, pass their URL to the client's <see cref="Uri"/> constructor.
/// </remarks>
public static partial class QwenEndpoints
{
    private const string ValidRegions = "Beijing, Singapore, US, HongKong (or the region codes cn-beijing, ap-southeast-1, us-east-1, cn-hongkong)";

    private static readonly Dictionary<string, QwenRegion> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["beijing"] = QwenRegion.Beijing,
        ["cnbeijing"] = QwenRegion.Beijing,
        ["singapore"] = QwenRegion.Singapore,
        ["apsoutheast1"] = QwenRegion.Singapore,
        ["us"] = QwenRegion.US,
        ["virginia"] = QwenRegion.US,
        ["useast1"] = QwenRegion.US,
        ["hongkong"] = QwenRegion.HongKong,
        ["cnhongkong"] = QwenRegion.HongKong,
    };

    /// <summary>Gets the OpenAI-compatible base URL of a region's shared DashScope domain.</summary>
    /// <param name="region">The region.</param>
    /// <returns>The base URL, ending in <c>/compatible-mode/v1/</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not a defined <see cref="QwenRegion"/>.</exception>
    public static Uri ForRegion(QwenRegion region) => region switch
    {
        QwenRegion.Beijing => new Uri("https://dashscope.aliyuncs.com/compatible-mode/v1/"),
        QwenRegion.Singapore => new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/"),
        QwenRegion.US => new Uri("https://dashscope-us.aliyuncs.com/compatible-mode/v1/"),
        QwenRegion.HongKong => new Uri("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1/"),
        _ => throw new ArgumentException($"Unknown Qwen region '{region}'. Valid regions: {ValidRegions}.", nameof(region)),
    };

    /// <summary>Gets the OpenAI-compatible base URL of a region named in configuration, e.g. <c>"Singapore"</c>, <c>"Hong Kong"</c> or <c>"us-east-1"</c>.</summary>
    /// <param name="region">A <see cref="QwenRegion"/> name or a region code; case, spaces, hyphens and underscores are ignored.</param>
    /// <returns>The base URL, ending in <c>/compatible-mode/v1/</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="region"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="region"/> names no region; the message lists the valid ones.</exception>
    public static Uri ForRegion(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return Aliases.TryGetValue(CompactName(region), out var known)
            ? ForRegion(known)
            : throw new ArgumentException($"Unknown Qwen region '{region}'. Valid regions: {ValidRegions}. For a workspace-dedicated domain or another plan's host, pass the endpoint instead.", nameof(region));
    }

    /// <summary>Gets the base URL of a workspace-dedicated domain, <c>https://{workspaceId}.{regionCode}.maas.aliyuncs.com/compatible-mode/v1/</c>.</summary>
    /// <param name="workspaceId">The Model Studio workspace id.</param>
    /// <param name="regionCode">The region code, e.g. <c>cn-beijing</c>, <c>ap-southeast-1</c>, <c>ap-northeast-1</c>, <c>cn-hongkong</c>, <c>us-east-1</c>.</param>
    /// <returns>The base URL. Only keys from that workspace work there.</returns>
    /// <exception cref="ArgumentException">Either value is empty or is not a DNS label (letters, digits, hyphens).</exception>
    public static Uri ForWorkspace(string workspaceId, string regionCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workspaceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(regionCode);
        if (!DnsLabel().IsMatch(workspaceId))
        {
            throw new ArgumentException($"The workspace id '{workspaceId}' is not a valid host name label.", nameof(workspaceId));
        }

        if (!DnsLabel().IsMatch(regionCode))
        {
            throw new ArgumentException($"The region code '{regionCode}' is not a valid host name label (e.g. cn-beijing, ap-southeast-1).", nameof(regionCode));
        }

        return new Uri($"https://{workspaceId.ToLowerInvariant()}.{regionCode.ToLowerInvariant()}.maas.aliyuncs.com/compatible-mode/v1/");
    }

    /// <summary>Gets the base URL of a workspace-dedicated domain in one of the <see cref="QwenRegion"/> regions.</summary>
    /// <param name="workspaceId">The Model Studio workspace id.</param>
    /// <param name="region">The workspace's region.</param>
    /// <returns>The base URL. Only keys from that workspace work there.</returns>
    /// <exception cref="ArgumentException"><paramref name="workspaceId"/> is not a DNS label, or <paramref name="region"/> is not defined.</exception>
    public static Uri ForWorkspace(string workspaceId, QwenRegion region) => ForWorkspace(workspaceId, region switch
    {
        QwenRegion.Beijing => "cn-beijing",
        QwenRegion.Singapore => "ap-southeast-1",
        QwenRegion.US => "us-east-1",
        QwenRegion.HongKong => "cn-hongkong",
        _ => throw new ArgumentException($"Unknown Qwen region '{region}'. Valid regions: {ValidRegions}.", nameof(region)),
    });

    /// <summary>Accepts a bare host (<c>https://dashscope-intl.aliyuncs.com</c>) by adding the compatible-mode path.</summary>
    internal static Uri NormalizeEndpoint(Uri endpoint)
    {
        var normalized = EndpointUtilities.WithTrailingSlash(endpoint);
        return normalized.AbsolutePath == "/" ? new Uri(normalized, "compatible-mode/v1/") : normalized;
    }

    private static string CompactName(string region) =>
        string.Concat(region.Where(c => c is not (' ' or '-' or '_')));

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
