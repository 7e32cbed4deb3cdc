using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>The reasoning policy and JSON-instruction parts of the request builder.</summary>
internal static partial class OpenAICompatibleRequestBuilder
{
    private static string SchemaInstruction(ChatResponseFormatJson json, JsonElement schema)
    {
        var text = new System.Text.StringBuilder("Respond only with a JSON object that conforms to this JSON schema");
        if (json.SchemaName is { } name)
        {
            text.Append(" (\"").Append(name).Append('"');
            if (json.SchemaDescription is { } description)
            {
                text.Append(": ").Append(description);
            }

            text.Append(')');
        }

        return text.Append(":\n").Append(schema.GetRawText()).ToString();
    }

    /// <summary>Maps <see cref="ReasoningEffort"/> onto the family's switch, per the table in docs/reasoning.md.</summary>
    private static void ApplyReasoning(JsonObject body, ReasoningEffort effort, ModelFamily family, string provider, ILogger logger, ThinkingBudgetRequest? explicitBudget = null)
    {
        if (!family.ReasoningSwitch.Apply(body, effort, provider, logger))
        {
            return;
        }

        bool enabled = effort != ReasoningEffort.None;
        if (!enabled && family.ThinkingOffEffort is { } off)
        {
            body["reasoning_effort"] = off;
        }

        int? budget = ThinkingBudgetRequest.ForEffort(effort);
        if (enabled && explicitBudget is not null)
        {
            budget = explicitBudget.Tokens; // an explicit budget (the answer-room guard's) replaces the effort's
        }

        if (budget is not null && family.ThinkingBudgetField is { } field)
        {
            body[field] = budget.Value;
            if (explicitBudget is not null && enabled)
            {
                explicitBudget.MarkApplied();
            }
        }
    }

    private static bool IsTrue(JsonNode? node) => WireJson.AsBool(node) == true;

    private static bool IsJsonObjectMode(JsonObject body) =>
        body["response_format"] is JsonObject format && WireJson.AsString(format["type"]) == "json_object";

    private static bool MentionsJson(JsonArray messages)
    {
        foreach (var message in messages)
        {
            switch (message?["content"])
            {
                case JsonValue value when WireJson.AsString(value) is { } text && text.Contains("json", StringComparison.OrdinalIgnoreCase):
                    return true;
                case JsonArray parts when parts.Any(p => WireJson.AsString(p?["text"]) is { } t && t.Contains("json", StringComparison.OrdinalIgnoreCase)):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Appends to the leading system message, or inserts one: templates such as Qwen3's reject a second system message.</summary>
    private static void AddInstruction(JsonArray messages, string instruction)
    {
        if (messages.Count > 0 && messages[0] is JsonObject first && WireJson.AsString(first["role"]) == "system" && WireJson.AsString(first["content"]) is { } existing)
        {
            first["content"] = existing.Length == 0 ? instruction : existing + "\n\n" + instruction;
            return;
        }

        messages.Insert(0, new JsonObject { ["role"] = "system", ["content"] = instruction });
    }
}
