using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>
/// The reasoning policy and capabilities of one model family on one provider, as data the engine applies: how
/// <c>ChatOptions.Reasoning</c> goes on the wire, which reasoning goes back in history, and what the models accept.
/// </summary>
internal sealed record ModelFamily
{
    /// <summary>Gets a short name for the family, used in tests and docs.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the model-id patterns (<see cref="ModelPattern"/>) of the family; empty for a dialect's default family.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Gets how <c>ChatOptions.Reasoning.Effort</c> is expressed on the wire.</summary>
    public ReasoningSwitch ReasoningSwitch { get; init; } = ReasoningSwitch.ChatTemplateKwargs;

    /// <summary>Gets the request field for a thinking budget in tokens (Low 1024, Medium 4096, High 16384, ExtraHigh none); <see langword="null"/> sends none.</summary>
    public string? ThinkingBudgetField { get; init; }

    /// <summary>Gets the <c>reasoning_effort</c> value sent beside the family's own switch when <c>ReasoningEffort.None</c> turns thinking off,
    /// for servers where that value switches thinking off whatever the chat template reads; <see langword="null"/> sends none.</summary>
    public string? ThinkingOffEffort { get; init; }

    /// <summary>Gets which earlier reasoning goes back in assistant messages.</summary>
    public ReasoningHistory ReasoningHistory { get; init; } = ReasoningHistory.Echo;

    /// <summary>Gets the assistant-message field that carries reasoning back (<c>reasoning_content</c>, or vLLM's and Ollama's <c>reasoning</c>).</summary>
    public string ReasoningHistoryField { get; init; } = "reasoning_content";

    /// <summary>Gets a value indicating whether <c>response_format: json_schema</c> is accepted; otherwise a schema goes into the instructions with <c>json_object</c>.</summary>
    public bool SupportsJsonSchema { get; init; } = true;

    /// <summary>Gets a value indicating whether <c>json_object</c> mode fails unless the prompt mentions "json" (DeepSeek), so an instruction is added when it does not.</summary>
    public bool JsonModeNeedsJsonInPrompt { get; init; }

    /// <summary>Gets a value indicating whether the server allows thinking only on streamed requests (open-source Qwen3 on Model Studio).</summary>
    public bool ThinkingRequiresStreaming { get; init; }

    /// <summary>Gets a value indicating whether the models think when the request does not say (DeepSeek V4, open-source Qwen3).</summary>
    public bool ThinksByDefault { get; init; }

    /// <summary>Gets fields sent with every request to this family, below every per-request setting in precedence.</summary>
    public JsonObject? ExtraFields { get; init; }

    /// <summary>Gets the model to name in a warning when the family's ids are retired; <see langword="null"/> when they are current.</summary>
    public string? RetiredReplacement { get; init; }

    public bool Matches(string? modelId) => Models.Count > 0 && ModelPattern.MatchesAny(Models, modelId);
}
