using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests;

/// <summary>A chat client built the way applications build it: a configuration section through DI, pointed at a replay server.</summary>
internal sealed class HostedClient : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private HostedClient(ServiceProvider provider)
    {
        _provider = provider;
        Client = provider.GetRequiredService<IChatClient>();
    }

    public IChatClient Client { get; }

    public static HostedClient Create(ReplayServer server, params (string Key, string Value)[] settings) => Create(server.BaseAddress, settings);

    public static HostedClient Create(Uri endpoint, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = endpoint.ToString(),
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values["OpenModel:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        return new HostedClient(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
