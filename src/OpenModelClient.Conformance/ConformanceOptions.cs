using Microsoft.Extensions.AI;

namespace OpenModelClient.Conformance;

/// <summary>Settings for a <see cref="ConformanceRunner"/>.</summary>
public sealed class ConformanceOptions
{
    /// <summary>Gets or sets the model id sent with every request; <see langword="null"/> leaves it to the client.</summary>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the sampling seed sent with every request, so that a server that honours it answers the same each time. The default is 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Gets or sets the output token limit of each request. The default is 64: enough for a tool call, short enough to be quick.</summary>
    public int MaxOutputTokens { get; set; } = 64;

    /// <summary>Gets or sets the reasoning effort asked for by <see cref="ConformanceCheck.Reasoning"/>. The default is <see cref="ReasoningEffort.Low"/>.</summary>
    public ReasoningEffort ReasoningEffort { get; set; } = ReasoningEffort.Low;

    /// <summary>Gets or sets how long one check may take. The default is one minute.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the checks that must pass for <see cref="ConformanceReport.Succeeded"/>. The default is chat and streaming.</summary>
    public ISet<ConformanceCheck> RequiredChecks { get; } = new HashSet<ConformanceCheck> { ConformanceCheck.Chat, ConformanceCheck.Streaming };

    /// <summary>Gets the checks <see cref="ConformanceRunner.RunAsync"/> runs; empty (the default) runs all.</summary>
    public ISet<ConformanceCheck> Checks { get; } = new HashSet<ConformanceCheck>();

    /// <summary>
    /// Gets or sets a hook called before each request with the check, the messages and the options it will send: for example to prefill the
    /// assistant turn so that a test model that never calls tools by itself is made to (llama.cpp continues a trailing assistant message).
    /// </summary>
    public Action<ConformanceCheck, IList<ChatMessage>, ChatOptions>? ConfigureRequest { get; set; }
}
