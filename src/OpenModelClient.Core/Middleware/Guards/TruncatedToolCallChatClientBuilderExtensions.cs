using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Adds <see cref="TruncatedToolCallChatClient"/> to a chat pipeline.</summary>
public static class TruncatedToolCallChatClientBuilderExtensions
{
    /// <summary>Turns a tool call cut off by the output limit into <see cref="TruncatedToolCallException"/> (or a retry with a larger limit) instead of a call.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the builder's services, if any.</param>
    /// <param name="configure">Sets <see cref="TruncatedToolCallChatClient.RetryWithLargerLimit"/> and <see cref="TruncatedToolCallChatClient.LimitFactor"/>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Place it inside function invocation and inside <see cref="ToolCallRepairChatClientBuilderExtensions.UseToolCallRepair"/>, so that a cut-off call is never "repaired":
    /// <c>.UseFunctionInvocation().UseToolCallRepair().UseTruncatedToolCallGuard()</c>.</remarks>
    public static ChatClientBuilder UseTruncatedToolCallGuard(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null, Action<TruncatedToolCallChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new TruncatedToolCallChatClient(inner, loggerFactory ?? services.GetService<ILoggerFactory>());
            configure?.Invoke(client);
            return client;
        });
    }
}
