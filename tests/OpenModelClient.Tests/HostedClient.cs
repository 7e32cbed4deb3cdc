using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests;

/// <summary>A chat client built the way applications build it: a configuration section through DI, pointed at a replay server.</summary>
internal sealed class HostedClient : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly FakeTimeProvider? _clock;

    private HostedClient(ServiceProvider provider, FakeTimeProvider? clock)
    {
        _provider = provider;
        _clock = clock;
        Client = provider.GetRequiredService<IChatClient>();
    }

    public IChatClient Client { get; }

    public static HostedClient Create(ReplayServer server, params (string Key, string Value)[] settings) => Create(server.BaseAddress, settings);

    public static HostedClient Create(Uri endpoint, params (string Key, string Value)[] settings) => Create(endpoint, clock: null, settings);

    /// <summary>A client whose pipeline and time limits run on <paramref name="clock"/> (registered as the <see cref="TimeProvider"/> in DI).</summary>
    public static HostedClient Create(ReplayServer server, FakeTimeProvider clock, params (string Key, string Value)[] settings) => Create(server.BaseAddress, clock, settings);


    /// <summary>A client of <paramref name="endpoint"/>, its pipeline and time limits on <paramref name="clock"/> when one is given.</summary>
    public static HostedClient Create(Uri endpoint, FakeTimeProvider? clock, params (string Key, string Value)[] settings)
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
        if (clock is not null)
        {
            services.AddSingleton<TimeProvider>(clock);
        }

        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        return new HostedClient(services.BuildServiceProvider(), clock);
    }

    public async ValueTask DisposeAsync()
    {
        var disposing = _provider.DisposeAsync().AsTask();
        if (_clock is null)
        {
            await disposing;
            return;
        }

        // Polly waits for calls still in flight when its pipelines are disposed, polling on the pipeline's clock (its
        // ExecutionTrackingComponent). On a fake clock nobody moves, that wait never ends: a test that failed with a call
        // pending would hang here instead of failing. So the clock is moved on, a second at a time, until disposal finishes.
        for (int i = 0; i < 120 && !disposing.IsCompleted; i++)
        {
            if (await Task.WhenAny(disposing, Task.Delay(50)) != disposing)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
