using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>Structural JSON equality (key order ignored) with readable failure messages.</summary>
public static class JsonAssert
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // show non-ASCII text as text
    };

    public static void Equal(string expectedJson, JsonNode? actual) => Equal(JsonNode.Parse(expectedJson), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"""
                JSON differs at {FirstDifference(expected, actual, "$")}.
                Expected:
                {Show(expected)}
                Actual:
                {Show(actual)}
                """);
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString(Pretty) ?? "null";

    // Walks both trees to name the first differing path; large llama.cpp documents are hard to eyeball.
    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    var child = $"{path}.{key}";
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        return child + (e.ContainsKey(key) ? " (missing)" : " (unexpected)");
                    }

                    if (!JsonNode.DeepEquals(e[key], a[key]))
                    {
                        return FirstDifference(e[key], a[key], child);
                    }
                }

                return path;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    if (!JsonNode.DeepEquals(e[i], a[i]))
                    {
                        return FirstDifference(e[i], a[i], $"{path}[{i}]");
                    }
                }

                return path;
            case (JsonArray e, JsonArray a):
                return $"{path} (length {e.Count} vs {a.Count})";
            default:
                return path;
        }
    }
}
