namespace OpenModelClient.Tests.Architecture;

/// <summary>
/// Dependencies in src point one way: DI → providers → engines → decorators and capabilities → Shared → Errors (see
/// docs/architecture.md). The scan reads the built assemblies, so a call to another folder's static helper counts, not
/// only a type in a signature. Constants are copied into the caller by the compiler and are not seen.
/// </summary>
public class LayeringTests
{
    private static readonly string Root = FolderDependencyScanner.RepoRoot();

    private static IReadOnlyList<FolderEdge> LibraryEdges(out IReadOnlyList<string> unplaced) =>
        FolderDependencyScanner.Scan(Root, [typeof(OpenModelException).Assembly.Location, typeof(OpenModelClientOptions).Assembly.Location], out unplaced);

    [Fact]
    public void Every_folder_has_a_layer_and_every_use_points_down()
    {
        var edges = LibraryEdges(out _);
        var violations = LayerMap.Library.Violations(FolderDependencyScanner.SourceFolders(Root), edges);
        Assert.True(violations.Count == 0, "Layering broken:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_library_type_is_placed_in_exactly_one_folder()
    {
        LibraryEdges(out var unplaced);
        Assert.True(unplaced.Count == 0, "Types the scan cannot place:\n" + string.Join("\n", unplaced));
    }

    [Fact]
    public void The_scan_sees_uses_in_signatures_and_in_method_bodies()
    {
        // Known uses that must stay visible to the scan, or the layering test above would pass on an empty graph.
        var edges = LibraryEdges(out _);
        Assert.Contains(edges, e => e.From == "OpenModelClient.Core/DeepSeek" && e.To == "OpenModelClient.Core/OpenAICompatible");
        Assert.Contains(edges, e => e.From == "OpenModelClient.Core/Ollama" && e.To == "OpenModelClient.Core/Shared");
        Assert.Contains(edges, e => e.From == "OpenModelClient/DependencyInjection" && e.To == "OpenModelClient/Configuration");
        Assert.True(edges.Count > 30, $"only {edges.Count} folder uses were found");
    }

    [Fact]
    public void A_use_that_points_up_is_reported()
    {
        var map = LayerMap.Library;
        var folders = map.Layers.SelectMany(l => l.Folders).ToList();
        FolderEdge[] edges =
        [
            new("OpenModelClient.Core/DeepSeek", "OpenModelClient.Core/OpenAICompatible", "fine: down"),
            new("OpenModelClient.Core/Shared", "OpenModelClient.Core/OpenAICompatible", "SseErrorFieldWatcher uses OpenAICompatibleChatEngine"),
        ];

        var violations = map.Violations(folders, edges);

        var violation = Assert.Single(violations);
        Assert.Contains("OpenModelClient.Core/Shared (shared) uses OpenModelClient.Core/OpenAICompatible (a layer above", violation, StringComparison.Ordinal);
        Assert.Contains("SseErrorFieldWatcher", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_use_between_peers_is_reported()
    {
        var map = LayerMap.Library;
        var violations = map.Violations([], [new("OpenModelClient.Core/Qwen", "OpenModelClient.Core/DeepSeek", "QwenX uses DeepSeekY")]);
        Assert.Contains("a peer in the same layer", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void Ollama_going_through_the_OpenAI_compatible_engine_is_reported()
    {
        var map = LayerMap.Library;
        var violations = map.Violations([], [new("OpenModelClient.Core/Ollama", "OpenModelClient.Core/OpenAICompatible", "OllamaChatClient uses OpenAICompatibleChatEngine")]);
        Assert.Contains("must not use", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_layer_is_reported()
    {
        var map = LayerMap.Library;
        var violations = map.Violations(["OpenModelClient.Core/Shared", "OpenModelClient.Core/Routing"], [new("OpenModelClient.Core/Routing", "OpenModelClient.Core/Shared", "Router uses X")]);
        Assert.Contains("OpenModelClient.Core/Routing has no layer", Assert.Single(violations), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_cannot_pass()
    {
        // Whatever the ranks, one of the two directions of a cycle points up or sideways.
        var map = LayerMap.Library;
        var all = map.Layers.SelectMany(l => l.Folders).ToList();
        foreach (var a in all)
        {
            foreach (var b in all.Where(b => b != a))
            {
                Assert.NotEmpty(map.Violations([], [new(a, b, "a uses b"), new(b, a, "b uses a")]));
            }
        }
    }

    [Fact]
    public void Nothing_below_the_providers_is_named_after_a_provider()
    {
        // A provider's rule lives in its folder and reaches the engine as data or a strategy object; a provider's name on a type or
        // member below the provider layer means its rule went to the wrong place. ProviderNames is the table of names itself, and
        // the generic OpenAI-compatible client's presets name the servers it can be pointed at. A provider's own wire folder (Ollama/Wire) is its own.
        string[] providers = ["DeepSeek", "LlamaCpp", "Ollama", "Qwen"];
        string[] allowed = ["ProviderNames", "OpenAICompatiblePreset"];
        var map = LayerMap.Library;
        int providerRank = map.RankOf("OpenModelClient.Core/DeepSeek")!.Value;
        var typeFolders = FolderDependencyScanner.TypeFolders(Root);
        var found = new List<string>();
        int looked = 0;
        foreach (var type in typeof(OpenModelException).Assembly.GetTypes())
        {
            var top = type;
            while (top.DeclaringType is not null)
            {
                top = top.DeclaringType;
            }

            string topName = top.Name.Split('`')[0];
            if (!typeFolders.TryGetValue(topName, out var folders) || folders.Count != 1 || allowed.Contains(topName)
                || map.RankOf(folders.First()) is not { } rank || rank <= providerRank
                || providers.Any(p => folders.First().StartsWith("OpenModelClient.Core/" + p + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            looked++;
            var names = type.GetMembers(System.Reflection.BindingFlags.DeclaredOnly | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static)
                .Select(m => m.Name).Prepend(type.Name);
            found.AddRange(names.Where(n => providers.Any(p => n.Contains(p, StringComparison.Ordinal))).Select(n => $"{folders.First()}: {type.Name}.{n}"));
        }

        Assert.True(looked > 50, $"only {looked} types below the provider layer were looked at");
        Assert.True(found.Count == 0, "Provider names below the provider layer:\n" + string.Join("\n", found.Distinct()));
    }
}
