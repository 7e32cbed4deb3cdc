namespace OpenModelClient;

/// <summary>
/// An explicit thinking budget in tokens for one request, carried in <c>ChatOptions.AdditionalProperties</c> under <see cref="Key"/>.
/// It replaces the budget the engine would derive from <c>ChatOptions.Reasoning.Effort</c>; engines never send it as a field.
/// </summary>
/// <remarks>
/// Applies only where the model family has a budget field (llama.cpp <c>thinking_budget_tokens</c>, Qwen <c>thinking_budget</c>, an
/// OpenAI-compatible server configured with one) and thinking is on; elsewhere it is ignored. The engine sets <see cref="IsApplied"/>
/// when it wrote the budget, so the sender can tell whether it took effect. One instance per request.
/// </remarks>
internal sealed class ThinkingBudgetRequest(int tokens)
{
    public const string Key = "openmodel.thinking_budget";

    /// <summary>The budget in tokens an effort stands for where a family has a budget field: Low 1024, Medium 4096, High 16384;
    /// ExtraHigh and None send no budget (unbounded thinking can take the whole output).</summary>
    public static int? ForEffort(Microsoft.Extensions.AI.ReasoningEffort effort) => effort switch
    {
        Microsoft.Extensions.AI.ReasoningEffort.Low => 1024,
        Microsoft.Extensions.AI.ReasoningEffort.Medium => 4096,
        Microsoft.Extensions.AI.ReasoningEffort.High => 16384,
        _ => null,
    };

    public int Tokens { get; } = tokens;

    public bool IsApplied { get; private set; }

    public void MarkApplied() => IsApplied = true;

    public static ThinkingBudgetRequest? From(Microsoft.Extensions.AI.ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out object? value) is true ? value as ThinkingBudgetRequest : null;
}
