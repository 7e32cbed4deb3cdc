using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>Adds <see cref="JsonSchemaGuardChatClient"/> with JsonSchema.Net's validator to a chat pipeline.</summary>
public static class JsonSchemaGuardChatClientBuilderExtensions
{
    /// <summary>Checks each reply against the JSON schema the request asked for and raises <see cref="ResponseSchemaViolationException"/> when it does not conform.</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> to take the <see cref="ILoggerFactory"/> from the builder's services, if any.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>Place it inside function invocation: <c>.UseFunctionInvocation().UseJsonSchemaGuard()</c>. Validation follows JSON Schema draft 2020-12 (JsonSchema.Net).</remarks>
    public static ChatClientBuilder UseJsonSchemaGuard(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new JsonSchemaGuardChatClient(inner, JsonSchemaValidation.FirstViolation, loggerFactory ?? services.GetService<ILoggerFactory>()));
    }
}
