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
}
