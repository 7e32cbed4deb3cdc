namespace OpenModelClient.Tests.DependencyInjection;

/// <summary>Ollama Cloud is the Ollama provider at its hosted endpoint: <c>OLLAMA_API_KEY</c> is read for it, and for nothing else.</summary>
public class OllamaCloudConfigurationTests
{
    [Theory]
    [InlineData("https://ollama.com", "from-env")]
    [InlineData("https://ollama.com/api", "from-env")]
    [InlineData("http://localhost:11434", null)]
    [InlineData("https://gpu-box.example:11434", null)]
    [InlineData("http://ollama.com", null)]
    [InlineData(null, null)]
    public void OLLAMA_API_KEY_is_used_only_for_the_hosted_endpoint_over_https(string? endpoint, string? expected)
    {
        string? before = Environment.GetEnvironmentVariable("OLLAMA_API_KEY");
        Environment.SetEnvironmentVariable("OLLAMA_API_KEY", "from-env");
        try
        {
            var options = new OpenModelClientOptions { Provider = OpenModelProvider.Ollama, Model = "gpt-oss:120b", Endpoint = endpoint is null ? null : new Uri(endpoint) };
            Assert.Equal(expected, OpenModelClientFactory.ResolveApiKey(options, OpenModelProvider.Ollama));

            options.ApiKey = "configured";
            Assert.Equal("configured", OpenModelClientFactory.ResolveApiKey(options, OpenModelProvider.Ollama));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OLLAMA_API_KEY", before);
        }
    }
}
