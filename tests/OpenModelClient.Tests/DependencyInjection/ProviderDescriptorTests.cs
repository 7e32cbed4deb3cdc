using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.DependencyInjection;

/// <summary>The provider table is the one home of each provider's DI facts: every provider has exactly one entry, and what it says is what the pipeline does.</summary>
public class ProviderDescriptorTests
{
    [Fact]
    public void Every_provider_has_exactly_one_descriptor()
    {
        var providers = Enum.GetValues<OpenModelProvider>();
        Assert.Equal(providers, OpenModelProviders.All.Select(d => d.Provider));
        foreach (var provider in providers)
        {
            Assert.Same(OpenModelProviders.All.Single(d => d.Provider == provider), OpenModelProviders.For(provider));
        }
    }

    [Fact]
    public void Hosted_providers_name_the_key_variable_their_own_tools_read()
    {
        var options = new OpenModelClientOptions();
        Assert.All(OpenModelProviders.All.Where(d => d.Hosted), d => Assert.NotNull(d.ApiKeyVariable(options)));
        Assert.Equal("DEEPSEEK_API_KEY", OpenModelProviders.DeepSeek.ApiKeyVariable(options));
        Assert.Equal("DASHSCOPE_API_KEY", OpenModelProviders.Qwen.ApiKeyVariable(options));
        Assert.Null(OpenModelProviders.LlamaCpp.ApiKeyVariable(options));
    }

    [Fact]
    public void The_default_endpoint_is_the_one_the_client_uses()
    {
        var options = new OpenModelClientOptions { Provider = OpenModelProvider.DeepSeek, Model = "deepseek-flash", ApiKey = "k" };
        using var client = OpenModelClientFactory.CreateChatClient(options, httpClient: null);
        Assert.Equal(OpenModelProviders.DeepSeek.DefaultEndpoint(options), client.GetService<ChatClientMetadata>()!.ProviderUri);

        var ollama = new OpenModelClientOptions { Provider = OpenModelProvider.Ollama, Model = "qwen3:4b" };
        using var local = OpenModelClientFactory.CreateChatClient(ollama, httpClient: null);
        Assert.Equal(OpenModelProviders.Ollama.DefaultEndpoint(ollama), local.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Null(OpenModelProviders.LlamaCpp.DefaultEndpoint(new OpenModelClientOptions()));
    }

    [Fact]
    public void The_telemetry_name_follows_the_preset_of_the_generic_provider()
    {
        Assert.Equal(ProviderNames.Vllm, OpenModelProviders.OpenAICompatible.TelemetryName(new OpenModelClientOptions { Preset = "vllm" }));
        Assert.Equal(ProviderNames.OpenAICompatible, OpenModelProviders.OpenAICompatible.TelemetryName(new OpenModelClientOptions()));
        Assert.Equal(ProviderNames.DeepSeek, OpenModelResilienceProfile.For(new OpenModelClientOptions { Provider = OpenModelProvider.DeepSeek }).Provider);
    }
}
