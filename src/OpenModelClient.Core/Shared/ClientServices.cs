namespace OpenModelClient;

/// <summary>The <c>GetService</c> answer every client in this library gives, so each client only lists what it offers.</summary>
internal static class ClientServices
{
    /// <summary>
    /// Nothing for a keyed request; else the service listed for exactly <paramref name="serviceType"/> (first match), else the
    /// client itself when it is of that type.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public static object? Get(Type serviceType, object? serviceKey, object client, params ReadOnlySpan<(Type Type, object? Service)> services)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        foreach (var (type, service) in services)
        {
            if (serviceType == type)
            {
                return service;
            }
        }

        return serviceType.IsInstanceOfType(client) ? client : null;
    }
}
