using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>
/// Recognises the models whose chat templates end the generation prompt with an opening <c>&lt;think&gt;</c>, so that a server without a
/// reasoning parser returns reasoning, then a lone <c>&lt;/think&gt;</c>, then the answer.
/// </summary>
/// <remarks>
/// The DeepSeek-R1 distills, QwQ, the Qwen3 "Thinking" releases and the Qwen3.5/3.6 hybrids do this (their templates append
/// <c>&lt;think&gt;\n</c> after <c>&lt;|im_start|&gt;assistant</c>; the hybrids write <c>&lt;think&gt;\n\n&lt;/think&gt;</c> instead
/// when <c>enable_thinking</c> is false). See https://github.com/ikawrakow/ik_llama.cpp/issues/776 and llama.cpp's
/// <c>thinking_forced_open</c>. Model ids are matched case-insensitively, whatever server hosts them.
/// </remarks>
internal static class ThinkBlockInPrompt
{
    private static readonly string[] Models = ["*deepseek-r1*", "*r1-distill*", "*qwq*", "*qwen3*thinking*", "*qwen3.5*", "*qwen3.6*"];

    /// <summary>Decides for one request: the model is one of those, and neither the options nor the body turned thinking off.</summary>
    public static bool Applies(string? modelId, ChatOptions? options, JsonObject body)
    {
        if (!ModelPattern.MatchesAny(Models, modelId) || options?.Reasoning?.Effort == ReasoningEffort.None)
        {
            return false;
        }

        // Thinking switched off through template kwargs or a top-level switch (sent by the caller or by the reasoning mapping).
        return !IsFalse(body["enable_thinking"])
            && !(body["chat_template_kwargs"] is JsonObject kwargs && (IsFalse(kwargs["enable_thinking"]) || IsFalse(kwargs["thinking"])));
    }

    private static bool IsFalse(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool flag) && !flag;
}
