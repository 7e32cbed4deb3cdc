using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenModelClient;

/// <summary>Adds <see cref="OpenModelHealthCheck"/> for a registered chat client to ASP.NET Core's health checks.</summary>
public static class OpenModelHealthChecksBuilderExtensions
{
    /// <summary>Checks the server of the <see cref="IChatClient"/> registered with <paramref name="serviceKey"/> (or the unkeyed one).</summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="serviceKey">The key the client was registered with (<c>AddKeyedOpenModelChatClient</c>), or <see langword="null"/> for the unkeyed client.</param>
    /// <param name="name">The check's name; the default is <c>openmodel</c>, or <c>openmodel-{key}</c> for a keyed client.</param>
    /// <param name="failureStatus">The status reported when the server is down; the default is <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks (e.g. <c>ready</c>).</param>
    /// <param name="timeout">How long the check may take; the default is 10 seconds.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddOpenModelHealthCheck(
        this IHealthChecksBuilder builder, object? serviceKey = null, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? (serviceKey is null ? "openmodel" : $"openmodel-{serviceKey}"),
            services => new OpenModelHealthCheck(serviceKey is null ? services.GetRequiredService<IChatClient>() : services.GetRequiredKeyedService<IChatClient>(serviceKey)),
            failureStatus,
            tags,
            timeout ?? TimeSpan.FromSeconds(10)));
    }
}
