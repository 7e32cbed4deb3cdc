using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.Tests.Concurrency;

/// <summary>A chat client configured the way applications configure it, with the settings a test adds.</summary>
internal static class ConfiguredClient
{
    public static ServiceProvider Build(Uri endpoint, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["OpenModel:Provider"] = "LlamaCpp",
            ["OpenModel:Endpoint"] = endpoint.ToString(),
            ["OpenModel:CapabilityGuard"] = "false",
            ["OpenModel:ResumableStreams"] = "false",
            ["OpenModel:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values[key.StartsWith("Services:", StringComparison.Ordinal) ? key : "OpenModel:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOpenModelChatClient(configuration.GetSection("OpenModel"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public static IChatClient Chat(this ServiceProvider provider) => provider.GetRequiredService<IChatClient>();
}
