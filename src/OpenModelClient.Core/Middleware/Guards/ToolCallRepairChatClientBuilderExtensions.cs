using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Adds <see cref="ToolCallRepairChatClient"/> to a chat pipeline.</summary>
public static class ToolCallRepairChatClientBuilderExtensions
{
    /// <summary>Repairs near-JSON tool calls against the tools' schemas and tells the model what was wrong with those that cannot be repaired.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the builder's services, if any.</param>
    /// <param name="configure">Sets <see cref="ToolCallRepairChatClient.MaxCorrections"/>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Place it inside function invocation, so each call is repaired before it is run: <c>.UseFunctionInvocation().UseToolCallRepair()</c>.</remarks>
    public static ChatClientBuilder UseToolCallRepair(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null, Action<ToolCallRepairChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new ToolCallRepairChatClient(inner, loggerFactory ?? services.GetService<ILoggerFactory>());
            configure?.Invoke(client);
            return client;
        });
    }
}
