using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenModelClient.Tests.Reliability;

/// <summary>Configuration edge values: each is refused at start-up with a message naming the key, never accepted to fail later or to be read as something else.</summary>
public class HostileConfigurationTests
{
    private static OptionsValidationException StartUpFailure(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["OpenModel:Provider"] = "LlamaCpp", ["OpenModel:Endpoint"] = "http://127.0.0.1:1" };
        foreach (var (key, value) in settings)
        {
            values["OpenModel:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddOpenModelChatClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel"));
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());
    }

    [Theory]
    [InlineData("LlamaCpp,Ollama")]
    [InlineData("Ollama, DeepSeek")]
    [InlineData("1")]
    [InlineData("LlamaCpp|Qwen")]
    public void Exactly_one_known_provider_name_is_accepted(string value)
    {
        var e = StartUpFailure(("Provider", value), ("Model", "m"));

        Assert.Contains($"OpenModel:Provider '{value}' is not a known provider", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timeouts:Connect", "30.00:00:00")]
    [InlineData("Timeouts:FirstChunk", "2.00:00:00")]
    [InlineData("Timeouts:Idle", "60.00:00:00")]
    [InlineData("Timeouts:Total", "60.00:00:00")]
    [InlineData("Timeouts:FirstChunk", "00:00:00.001")]
    [InlineData("Retry:BaseDelay", "2.00:00:00")]
    [InlineData("Retry:MaxRetryAfter", "3.00:00:00")]
    [InlineData("Timeouts:Idle", "-1")]
    [InlineData("Timeouts:Total", "-00:00:05")]
    public void Durations_the_pipeline_cannot_honour_are_refused_naming_the_key(string key, string value)
    {
        var e = StartUpFailure((key, value));

        Assert.Contains($"OpenModel:{key}", e.Message, StringComparison.Ordinal);
        Assert.Contains("one day", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_set_in_code_are_checked_the_same_way()
    {
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(o =>
        {
            o.Provider = OpenModelProvider.LlamaCpp;
            o.Endpoint = new Uri("http://127.0.0.1:1");
            o.Timeouts.Total = TimeSpan.FromDays(60);
            o.Timeouts.Idle = Timeout.InfiniteTimeSpan;
        });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatClient>());

        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Timeouts:Idle", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Limits:MaxLineBytes", "2147483647")]
    [InlineData("Limits:MaxBodyBytes", "9223372036854775807")]
    public void Limits_beyond_what_a_reader_can_buffer_are_refused(string key, string value)
    {
        var e = StartUpFailure((key, value));

        Assert.Contains($"OpenModel:{key} '{value}' must be a whole number of bytes from 1 to 1073741824", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sk-line\n")]
    [InlineData("sk-li\r\nne")]
    public void A_line_break_in_the_api_key_is_refused_without_showing_the_key(string key)
    {
        var e = StartUpFailure(("ApiKey", key));

        Assert.Contains("OpenModel:ApiKey contains a line break", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-li", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://admin:hunter2-secret@127.0.0.1:8080")]
    [InlineData("https://hunter2-secret@api.example.com/v1")]
    public void An_endpoint_with_user_info_is_refused_and_the_password_never_printed(string endpoint)
    {
        var e = StartUpFailure(("Endpoint", endpoint));

        Assert.Contains("OpenModel:Endpoint carries a user name or password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_with_user_info_is_refused_by_the_core_clients_too()
    {
        var e = Assert.Throws<ArgumentException>(() => new LlamaCppChatClient(new Uri("http://admin:hunter2-secret@127.0.0.1:8080")));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_the_api_key_is_refused_by_the_core_clients_too()
    {
        var e = Assert.Throws<ArgumentException>(() => new OllamaChatClient(new Uri("http://127.0.0.1:1"), "m", null, new OllamaChatClientOptions { ApiKey = "sk-core-secret\n" }));

        Assert.DoesNotContain("sk-core", e.Message, StringComparison.Ordinal);
    }
}
