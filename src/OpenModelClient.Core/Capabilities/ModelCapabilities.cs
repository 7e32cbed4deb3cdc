namespace OpenModelClient;

/// <summary>What a configured endpoint and model support, as far as it is known.</summary>
/// <remarks>
/// Every capability is three-valued: <see langword="true"/> (supported), <see langword="false"/> (known not to be supported) and
/// <see langword="null"/> (unknown). Only a <see langword="false"/> makes <see cref="CapabilityGuardChatClient"/> drop a setting.
/// </remarks>
public sealed class ModelCapabilities
{
    /// <summary>Gets a profile in which nothing is known.</summary>
    public static ModelCapabilities Unknown { get; } = new() { Source = "unknown" };

    /// <summary>Gets whether the model accepts tool (function) definitions; <see langword="null"/> when unknown.</summary>
    public bool? SupportsTools { get; init; }

    /// <summary>Gets whether the model accepts image input; <see langword="null"/> when unknown.</summary>
    public bool? SupportsVision { get; init; }

    /// <summary>Gets whether the model can think (produce reasoning) and accepts reasoning settings; <see langword="null"/> when unknown.</summary>
    public bool? SupportsThinking { get; init; }

    /// <summary>
    /// Gets whether the model thinks (and, on hosted APIs, bills reasoning tokens) when a request says nothing about reasoning
    /// (<c>ChatOptions.Reasoning</c> unset); <see langword="null"/> when unknown. <c>ReasoningEffort.None</c> turns thinking off either way.
    /// </summary>
    public bool? ThinksByDefault { get; init; }

    /// <summary>Gets whether the endpoint accepts a JSON schema as the response format; <see langword="null"/> when unknown.</summary>
    public bool? SupportsJsonSchema { get; init; }

    /// <summary>Gets the context length in tokens; <see langword="null"/> when unknown.</summary>
    public long? ContextLength { get; init; }

    /// <summary>Gets whether a streamed chat survives a dropped connection: the client resumes it where it broke, and a
    /// <c>ChatOptions.ContinuationToken</c> reattaches a later call to it (llama.cpp <c>X-Conversation-Id</c> and <c>/v1/stream</c>);
    /// <see langword="null"/> when unknown.</summary>
    public bool? SupportsResumableStreams { get; init; }

    /// <summary>Gets whether the server counts a request's input tokens exactly before it is sent (<see cref="IInputTokenCounter"/>);
    /// <see langword="null"/> when unknown.</summary>
    public bool? SupportsInputTokenCount { get; init; }

    /// <summary>Gets whether the server holds several models that load and unload on demand, each request naming its model
    /// (llama.cpp router mode, Ollama); see <see cref="IModelLifecycle"/>. <see langword="null"/> when unknown.</summary>
    public bool? SupportsModelRouting { get; init; }

    /// <summary>Gets whether a running streamed response's reasoning can be ended on request ("answer now", <see cref="IReasoningControl"/>);
    /// <see langword="null"/> when unknown.</summary>
    public bool? SupportsReasoningControl { get; init; }

    /// <summary>Gets where the profile came from, e.g. <c>llama.cpp /props</c>, <c>ollama /api/show</c>, <c>deepseek documented table</c> or <c>unknown</c>.</summary>
    public string Source { get; init; } = "unknown";
}
