using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Adds <see cref="ThinkTagParsingChatClient"/> to a chat pipeline.</summary>
public static class ThinkTagParsingChatClientBuilderExtensions
{
    /// <summary>Splits a <c>&lt;think&gt;…&lt;/think&gt;</c> block that opens an assistant reply into <see cref="TextReasoningContent"/>, streaming-safe.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Place it close to the provider client (after decorators that should see reasoning separated, such as telemetry and function invocation),
    /// e.g. <c>.UseFunctionInvocation().UseThinkTagParsing()</c>: the first <c>Use</c> is the outermost.
    /// </remarks>
    public static ChatClientBuilder UseThinkTagParsing(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static inner => new ThinkTagParsingChatClient(inner));
    }
}
