using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>Deterministic repair of near-JSON tool-call arguments, checked against the tool's JSON schema. Pure functions.</summary>
/// <remarks>
/// What is repaired: a Markdown code fence around the object; single-quoted strings; trailing commas; a JSON object sent as a JSON
/// string (whole, or as the value of an object- or array-typed argument); closing braces and brackets missing at the end; argument
/// names that differ from the schema's only in case or separators. Nothing is invented: a missing required argument, an unknown
/// argument where the schema forbids extras, or text that still does not parse is reported as the problem instead.
/// </remarks>
internal static class ToolCallArgumentRepair
{
    public readonly record struct Result(JsonObject? Arguments, IReadOnlyList<string> Repairs, string? Problem);

    /// <summary>Repairs argument text (as the model wrote it) into an object that matches <paramref name="schema"/>.</summary>
    public static Result Repair(string? text, JsonElement schema)
    {
        var repairs = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return Check(new JsonObject(), schema, repairs);
        }

        string candidate = StripFence(text.Trim(), repairs);
        var parsed = TryParse(candidate);
        if (parsed is null)
        {
            string? rewritten = Rewrite(candidate, repairs, out string? problem);
            if (rewritten is null)
            {
                return new(null, repairs, problem);
            }

            parsed = TryParse(rewritten);
        }

        if (parsed is JsonValue value && value.TryGetValue(out string? inner) && TryParse(StripFence(inner.Trim(), repairs)) is JsonObject unwrapped)
        {
            repairs.Add("object sent as a JSON string");
            parsed = unwrapped;
        }

        return parsed is JsonObject obj
            ? Check(obj, schema, repairs)
            : new(null, repairs, parsed is null ? "the arguments are not valid JSON" : $"the arguments are a JSON {Kind(parsed)}, not an object");
    }

    /// <summary>Checks parsed arguments against <paramref name="schema"/>: renames near-miss names, unwraps stringified objects, reports what is missing.</summary>
    public static Result Check(JsonObject arguments, JsonElement schema, List<string> repairs)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return new(arguments, repairs, null);
        }

        var names = properties.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var key in arguments.Select(p => p.Key).ToList())
        {
            if (names.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            var matches = names.Where(n => Normalize(n) == Normalize(key)).ToList();
            if (matches.Count == 1 && !arguments.ContainsKey(matches[0]))
            {
                var node = arguments[key];
                arguments.Remove(key);
                arguments[matches[0]] = node;
                repairs.Add($"argument '{key}' renamed to '{matches[0]}'");
            }
        }

        foreach (var name in names)
        {
            if (arguments[name] is JsonValue value && value.TryGetValue(out string? text) && properties.GetProperty(name).TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String && type.GetString() is "object" or "array" && TryParse(text.Trim()) is { } node && Kind(node) == type.GetString())
            {
                arguments[name] = node;
                repairs.Add($"argument '{name}' sent as a JSON string");
            }
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            var missing = required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String && !arguments.ContainsKey(r.GetString()!)).Select(r => r.GetString()!).ToList();
            if (missing.Count > 0)
            {
                return new(null, repairs, $"missing required argument(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}");
            }
        }

        if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False)
        {
            var unknown = arguments.Select(p => p.Key).Where(k => !names.Contains(k, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                return new(null, repairs, $"unknown argument(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the tool takes {string.Join(", ", names.Select(n => $"'{n}'"))}");
            }
        }

        return new(arguments, repairs, null);
    }

    /// <summary>Finds the one declared tool whose name differs from <paramref name="name"/> only in case or separators.</summary>
    public static string? MatchName(string name, IEnumerable<string> declared)
    {
        string wanted = Normalize(name);
        var matches = declared.Where(d => Normalize(d) == wanted).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static string StripFence(string text, List<string> repairs)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        int firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        int close = text.LastIndexOf("```", StringComparison.Ordinal);
        if (firstLine < 0 || close <= firstLine)
        {
            return text;
        }

        repairs.Add("code fence removed");
        return text[(firstLine + 1)..close].Trim();
    }

    /// <summary>One pass outside strings: single quotes become double, trailing commas go, missing closers are appended.</summary>
    private static string? Rewrite(string text, List<string> repairs, out string? problem)
    {
        problem = null;
        var sb = new StringBuilder(text.Length + 8);
        var open = new Stack<char>();
        bool singleQuotes = false, trailingComma = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"' or '\'':
                    int end = CopyString(text, i, sb);
                    if (end < 0)
                    {
                        problem = "the arguments end inside a string (cut off?)";
                        return null;
                    }

                    singleQuotes |= c == '\'';
                    i = end;
                    break;
                case ',':
                    int next = i + 1;
                    while (next < text.Length && char.IsWhiteSpace(text[next]))
                    {
                        next++;
                    }

                    if (next == text.Length || text[next] is '}' or ']')
                    {
                        trailingComma = true;
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
                case '{' or '[':
                    open.Push(c == '{' ? '}' : ']');
                    sb.Append(c);
                    break;
                case '}' or ']':
                    if (open.Count == 0 || open.Pop() != c)
                    {
                        problem = $"unbalanced '{c}' at position {i}";
                        return null;
                    }

                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        if (singleQuotes)
        {
            repairs.Add("single quotes replaced");
        }

        if (trailingComma)
        {
            repairs.Add("trailing comma removed");
        }

        if (open.Count > 0)
        {
            repairs.Add($"{open.Count} missing closing bracket(s) added");
            while (open.Count > 0)
            {
                sb.Append(open.Pop());
            }
        }

        return sb.ToString();
    }

    /// <summary>Copies the string starting at <paramref name="start"/> as a double-quoted JSON string; returns the index of its closing quote, or -1.</summary>
    private static int CopyString(string text, int start, StringBuilder sb)
    {
        char quote = text[start];
        sb.Append('"');
        for (int i = start + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char escaped = text[++i];
                if (escaped == '\'' && quote == '\'')
                {
                    sb.Append('\''); // \' is not a JSON escape
                }
                else
                {
                    sb.Append('\\').Append(escaped);
                }
            }
            else if (c == quote)
            {
                sb.Append('"');
                return i;
            }
            else if (c == '"')
            {
                sb.Append("\\\""); // a double quote inside a single-quoted string
            }
            else
            {
                sb.Append(c);
            }
        }

        return -1;
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Kind(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };
}
