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
        bool enabled = effort != ReasoningEffort.None;
        switch (family.ReasoningSwitch)
        {
            case ReasoningSwitch.None:
                OpenAICompatibleLog.ReasoningEffortNotSent(logger, provider, effort.ToString());
                return;
            case ReasoningSwitch.ChatTemplateKwargs:
                Merge(body, "chat_template_kwargs", new JsonObject { ["enable_thinking"] = enabled });
                break;
            case ReasoningSwitch.ChatTemplateKwargsThinking:
                Merge(body, "chat_template_kwargs", new JsonObject { ["thinking"] = enabled });
                break;
            case ReasoningSwitch.EnableThinking:
                body["enable_thinking"] = enabled;
                break;
            case ReasoningSwitch.DeepSeekThinking:
                body["thinking"] = new JsonObject { ["type"] = enabled ? "enabled" : "disabled" };
                if (enabled)
                {
                    // DeepSeek's levels are low|high|max; it maps medium to high itself (https://api-docs.deepseek.com/guides/thinking_mode), so say what happens.
                    body["reasoning_effort"] = effort switch
                    {
                        ReasoningEffort.Low => "low",
                        ReasoningEffort.ExtraHigh => "max",
                        _ => "high",
                    };
                }

                return;
            case ReasoningSwitch.ReasoningEffortLevels:
                // Ollama's /v1 knows only low|medium|high and answers 500 to "none", "minimal" or "xhigh": those are never sent.
                if (!enabled)
                {
                    OpenAICompatibleLog.ReasoningCannotBeSwitchedOff(logger, provider);
                    return;
                }

                body["reasoning_effort"] = effort switch
                {
                    ReasoningEffort.Low => "low",
                    ReasoningEffort.Medium => "medium",
                    _ => "high",
                };
                return;
        }

        if (!enabled && family.ThinkingOffEffort is { } off)
        {
            body["reasoning_effort"] = off;
        }

        int? budget = effort switch
        {
            ReasoningEffort.Low => LowThinkingBudget,
            ReasoningEffort.Medium => MediumThinkingBudget,
            ReasoningEffort.High => HighThinkingBudget,
            _ => null,
        };
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

    /// <summary>Reads whether the (final) request switches thinking on or off, whichever source set the switch.</summary>
    internal static bool? ThinkingState(JsonObject body, ReasoningSwitch reasoningSwitch) => reasoningSwitch switch
    {
        ReasoningSwitch.ChatTemplateKwargs => AsBool(body["chat_template_kwargs"] is JsonObject kwargs ? kwargs["enable_thinking"] : null),
        ReasoningSwitch.ChatTemplateKwargsThinking => AsBool(body["chat_template_kwargs"] is JsonObject kwargs ? kwargs["thinking"] : null),
        ReasoningSwitch.EnableThinking => AsBool(body["enable_thinking"]),
        ReasoningSwitch.DeepSeekThinking => AsString(body["thinking"] is JsonObject thinking ? thinking["type"] : null) switch
        {
            "enabled" => true,
            "disabled" => false,
            _ => null,
        },
        ReasoningSwitch.ReasoningEffortLevels => AsString(body["reasoning_effort"]) is { } level ? level != "none" : null,
        _ => null,
    };

    private static bool? AsBool(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool b) ? b : null;

    private static string? AsString(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    private static bool IsTrue(JsonNode? node) => AsBool(node) == true;

    private static bool IsJsonObjectMode(JsonObject body) =>
        body["response_format"] is JsonObject format && AsString(format["type"]) == "json_object";

    private static bool MentionsJson(JsonArray messages)
    {
        foreach (var message in messages)
        {
            switch (message?["content"])
            {
                case JsonValue value when AsString(value) is { } text && text.Contains("json", StringComparison.OrdinalIgnoreCase):
                    return true;
                case JsonArray parts when parts.Any(p => AsString(p?["text"]) is { } t && t.Contains("json", StringComparison.OrdinalIgnoreCase)):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Appends to the leading system message, or inserts one: templates such as Qwen3's reject a second system message.</summary>
    private static void AddInstruction(JsonArray messages, string instruction)
    {
        if (messages.Count > 0 && messages[0] is JsonObject first && AsString(first["role"]) == "system" && AsString(first["content"]) is { } existing)
        {
            first["content"] = existing.Length == 0 ? instruction : existing + "\n\n" + instruction;
            return;
        }

        messages.Insert(0, new JsonObject { ["role"] = "system", ["content"] = instruction });
    }
}
