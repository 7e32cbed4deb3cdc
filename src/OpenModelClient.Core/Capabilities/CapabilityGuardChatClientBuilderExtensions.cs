using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Adds <see cref="CapabilityGuardChatClient"/> to a chat pipeline.</summary>
public static class CapabilityGuardChatClientBuilderExtensions
{
    /// <summary>Drops settings the endpoint is known not to support (tools, images, reasoning), with a logged warning.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">Where the warnings go; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the builder's services, if any.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Place it innermost, right next to the provider client, whose <see cref="ModelCapabilitiesProvider"/> it reads.</remarks>
    public static ChatClientBuilder UseCapabilityGuard(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new CapabilityGuardChatClient(inner, loggerFactory ?? services.GetService<ILoggerFactory>()));
    }
}
