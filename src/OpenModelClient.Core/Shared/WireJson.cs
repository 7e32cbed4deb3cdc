using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Serializer options for user-supplied values (tool arguments, tool results, pass-through properties) written to the wire.</summary>
internal static class WireJson
{
    /// <summary>Microsoft.Extensions.AI's defaults (which know its types), but compact: its defaults indent, which wastes tokens and bytes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }
}
