namespace OpenModelClient.Tests.Architecture;

/// <summary>One layer: a name and the source folders (relative to src/) that belong to it.</summary>
internal sealed record Layer(string Name, params string[] Folders);

/// <summary>
/// The layers of the library from the top down. A folder may use folders of the layers below its own, never one of its
/// own layer (peers stay independent) and never one above. <see cref="Forbidden"/> narrows that further.
/// </summary>
internal sealed class LayerMap
{
    public LayerMap(IReadOnlyList<Layer> layers, IReadOnlyDictionary<string, string[]>? forbidden = null)
    {
        Layers = layers;
        Forbidden = forbidden ?? new Dictionary<string, string[]>();
        for (int rank = 0; rank < layers.Count; rank++)
        {
            foreach (var folder in layers[rank].Folders)
            {
                if (!_rank.TryAdd(folder, rank))
                {
                    throw new ArgumentException($"{folder} is given two layers", nameof(layers));
                }
            }
        }
    }

    private readonly Dictionary<string, int> _rank = new(StringComparer.Ordinal);

    /// <summary>Gets the layers, the top one first.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Gets, per folder, lower folders it must not use all the same (Ollama speaks its own protocol: it never goes through the OpenAI-compatible engine).</summary>
    public IReadOnlyDictionary<string, string[]> Forbidden { get; }

    /// <summary>The library's layers. A new folder must be added here, to the layer whose rule it keeps.</summary>
    public static LayerMap Library { get; } = new(
        [
            new("DI: host integration", "OpenModelClient/Hosting"),
            new("DI: registration", "OpenModelClient/DependencyInjection"),
            new("DI: pipeline parts", "OpenModelClient/Resilience", "OpenModelClient/Failover"),
            new("DI: replica routing", "OpenModelClient/Routing"),
            new("DI: cross-cutting handlers", "OpenModelClient/Concurrency"),
            new("DI: configuration and decorators", "OpenModelClient/Configuration", "OpenModelClient/Telemetry", "OpenModelClient/HealthChecks", "OpenModelClient/Guards"),
            new("providers", "OpenModelClient.Core/DeepSeek", "OpenModelClient.Core/LlamaCpp", "OpenModelClient.Core/Ollama", "OpenModelClient.Core/Qwen"),
            new("protocol engines", "OpenModelClient.Core/OpenAICompatible"),
            new("engine parts and wire shapes", "OpenModelClient.Core/Rerank", "OpenModelClient.Core/OpenAICompatible/Wire", "OpenModelClient.Core/Ollama/Wire"),
            new("decorators and capabilities", "OpenModelClient.Core/Middleware", "OpenModelClient.Core/Middleware/Guards", "OpenModelClient.Core/Middleware/Embeddings", "OpenModelClient.Core/Capabilities"),
            new("shared", "OpenModelClient.Core/Shared"),
            new("errors", "OpenModelClient.Core/Errors"),
        ],
        new Dictionary<string, string[]>
        {
            ["OpenModelClient.Core/Ollama"] = ["OpenModelClient.Core/OpenAICompatible", "OpenModelClient.Core/OpenAICompatible/Wire"],
            ["OpenModelClient.Core/Ollama/Wire"] = ["OpenModelClient.Core/OpenAICompatible/Wire"],
        });

    public int? RankOf(string folder) => _rank.TryGetValue(folder, out var rank) ? rank : null;

    /// <summary>What is wrong with a set of folders and their uses: folders without a layer, and every use that does not point down.</summary>
    public IReadOnlyList<string> Violations(IEnumerable<string> folders, IEnumerable<FolderEdge> edges)
    {
        var problems = new List<string>();
        foreach (var folder in folders)
        {
            if (RankOf(folder) is null)
            {
                problems.Add($"{folder} has no layer: add it to LayerMap.Library in the layer whose rule it keeps");
            }
        }

        foreach (var edge in edges)
        {
            if (RankOf(edge.From) is not { } from || RankOf(edge.To) is not { } to)
            {
                continue; // reported above as a folder without a layer
            }

            if (to <= from)
            {
                string how = to == from ? "a peer in the same layer" : "a layer above";
                problems.Add($"{edge.From} ({Layers[from].Name}) uses {edge.To} ({how}, {Layers[to].Name}): {edge.Example}");
            }
            else if (Forbidden.TryGetValue(edge.From, out var not) && not.Contains(edge.To, StringComparer.Ordinal))
            {
                problems.Add($"{edge.From} must not use {edge.To}: {edge.Example}");
            }
        }

        return problems;
    }
}
