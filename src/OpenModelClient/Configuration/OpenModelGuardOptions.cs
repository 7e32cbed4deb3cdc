namespace OpenModelClient;

/// <summary>The guards of a configured client, under the section's <c>Guards</c> key.</summary>
/// <remarks>Each guard reacts only to its own evidence; see <see cref="AnswerRoomChatClient"/>, <see cref="JsonSchemaGuardChatClient"/>,
/// <see cref="ToolCallRepairChatClient"/> and <see cref="TruncatedToolCallChatClient"/>.</remarks>
public sealed class OpenModelGuardOptions
{
    /// <summary>Gets or sets a value indicating whether the answer-room guard is on (<c>Guards:AnswerRoom:Enabled</c>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AnswerRoom { get; set; } = true;

    /// <summary>Gets or sets the share of the output budget kept for the answer when the thinking budget is clamped (<c>Guards:AnswerRoom:AnswerShare</c>).</summary>
    /// <value>The default is 0.25; greater than 0 and less than 1.</value>
    public double AnswerShare { get; set; } = 0.25;

    /// <summary>Gets or sets a value indicating whether a reasoning-only reply cut at the limit is asked once more with thinking off (<c>Guards:AnswerRoom:RetryWithoutThinking</c>).</summary>
    /// <value>The default is <see langword="false"/>: such a reply raises <see cref="ReasoningExhaustedException"/>.</value>
    public bool RetryWithoutThinking { get; set; }

    /// <summary>Gets or sets a value indicating whether replies are checked against the requested JSON schema (<c>Guards:Schema:Enabled</c>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Schema { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether near-JSON tool calls are repaired (<c>Guards:ToolCallRepair:Enabled</c>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ToolCallRepair { get; set; } = true;

    /// <summary>Gets or sets how many times the model is told what was wrong with a call before the error is raised (<c>Guards:ToolCallRepair:MaxCorrections</c>).</summary>
    /// <value>The default is 2; from 0 to 10.</value>
    public int MaxToolCallCorrections { get; set; } = 2;

    /// <summary>Gets or sets a value indicating whether a tool call cut off by the output limit is stopped (<c>Guards:TruncatedToolCall:Enabled</c>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool TruncatedToolCall { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether such a call is asked once more with twice the output limit (<c>Guards:TruncatedToolCall:RetryWithLargerLimit</c>).</summary>
    /// <value>The default is <see langword="false"/>: it raises <see cref="TruncatedToolCallException"/>.</value>
    public bool RetryTruncatedToolCall { get; set; }
}
