using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Adds <see cref="AnswerRoomChatClient"/> to a chat pipeline.</summary>
public static class AnswerRoomChatClientBuilderExtensions
{
    /// <summary>Keeps room for the answer in the output budget and turns a reasoning-only reply cut at the limit into an error (or a retry without thinking).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the builder's services, if any.</param>
    /// <param name="configure">Sets <see cref="AnswerRoomChatClient.AnswerShare"/> and <see cref="AnswerRoomChatClient.RetryWithoutThinking"/>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Place it inside function invocation (<c>.UseFunctionInvocation().UseAnswerRoom()</c>): the first <c>Use</c> is the outermost.</remarks>
    public static ChatClientBuilder UseAnswerRoom(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null, Action<AnswerRoomChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new AnswerRoomChatClient(inner, loggerFactory ?? services.GetService<ILoggerFactory>());
            configure?.Invoke(client);
            return client;
        });
    }
}
