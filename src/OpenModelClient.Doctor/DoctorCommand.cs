using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient.Conformance;

namespace OpenModelClient.Doctor;

/// <summary><c>openmodel doctor</c>: builds a client from the command line through the configuration contract, runs the conformance checks and prints the table.</summary>
internal static class DoctorCommand
{
    /// <summary>Runs the command; returns the exit code (0 every required check passed, 1 one did not, 2 a command-line or configuration error).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parsed = DoctorArguments.Parse(args, out string? problem);
        if (problem is not null)
        {
            await error.WriteLineAsync($"openmodel: {problem}").ConfigureAwait(false);
            await error.WriteLineAsync(DoctorArguments.Usage).ConfigureAwait(false);
            return 2;
        }

        if (parsed.Help)
        {
            await output.WriteLineAsync(DoctorArguments.Usage).ConfigureAwait(false);
            return 0;
        }

        var services = new ServiceCollection();
        var section = Configuration(parsed).GetSection("OpenModel");
        services.AddOpenModelChatClient(section);
        if (parsed.Embeddings)
        {
            services.AddOpenModelEmbeddingGenerator(section);
        }

        var provider = services.BuildServiceProvider();
        await using var providerScope = provider.ConfigureAwait(false);
        IChatClient chatClient;
        IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator;
        try
        {
            chatClient = provider.GetRequiredService<IChatClient>();
            embeddingGenerator = parsed.Embeddings ? provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>() : null;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync("openmodel: the settings are not valid:").ConfigureAwait(false);
            foreach (string failure in e.Failures)
            {
                await error.WriteLineAsync($"  - {failure}").ConfigureAwait(false);
            }

            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or UriFormatException)
        {
            await error.WriteLineAsync($"openmodel: cannot build a client from these settings: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var options = new ConformanceOptions { ModelId = parsed.Model, Seed = parsed.Seed, MaxOutputTokens = parsed.MaxTokens, CheckTimeout = parsed.Timeout };
        options.RequiredChecks.UnionWith(parsed.Required);
        if (parsed.ToolCallPrefill)
        {
            options.ConfigureRequest = ConformanceRequestHooks.HermesToolCallPrefill(await EndOfTurnTokenAsync(chatClient, cancellationToken).ConfigureAwait(false));
        }

        string model = parsed.Model ?? "(the server's)";
        await output.WriteLineAsync($"openmodel doctor: {parsed.Provider} at {parsed.Endpoint ?? "(the provider's default endpoint)"}, model {model}").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var report = await new ConformanceRunner(chatClient, embeddingGenerator, options).RunAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(report.ToTable()).ConfigureAwait(false);
        if (!report.Succeeded && report[ConformanceCheck.Chat] is { Passed: false } chat)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"The endpoint did not answer a plain chat request: {chat.Detail}").ConfigureAwait(false);
        }

        return report.Succeeded ? 0 : 1;
    }

    private static IConfiguration Configuration(DoctorArguments parsed)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["OpenModel:Provider"] = parsed.Provider,
            // The doctor reports what the endpoint does: no retries hiding a failure, no guard dropping what the endpoint claims not to support.
            ["OpenModel:Retry:MaxAttempts"] = "1",
            ["OpenModel:CapabilityGuard"] = "false",
            ["OpenModel:Guards:AnswerRoom:Enabled"] = "false",
            ["OpenModel:Guards:Schema:Enabled"] = "false",
            ["OpenModel:Guards:ToolCallRepair:Enabled"] = "false",
            ["OpenModel:Guards:TruncatedToolCall:Enabled"] = "false",
            ["OpenModel:Telemetry:Enabled"] = "false",
            ["OpenModel:Timeouts:FirstChunk"] = parsed.Timeout.ToString("c", CultureInfo.InvariantCulture),
            ["OpenModel:Timeouts:Idle"] = parsed.Timeout.ToString("c", CultureInfo.InvariantCulture),
        };
        Add(settings, "Endpoint", parsed.Endpoint);
        Add(settings, "Model", parsed.Model);
        Add(settings, "ApiKey", parsed.ApiKey);
        Add(settings, "Region", parsed.Region);
        Add(settings, "EmbeddingModel", parsed.EmbeddingModel);
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static void Add(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings["OpenModel:" + key] = value;
        }
    }

    /// <summary>On llama.cpp, the id of <c>&lt;|im_end|&gt;</c> from the server's own tokenizer; otherwise (or when it has none) <see langword="null"/>.</summary>
    private static async Task<int?> EndOfTurnTokenAsync(IChatClient chatClient, CancellationToken cancellationToken)
    {
        if (chatClient.GetService<LlamaCppServer>() is not { } server)
        {
            return null;
        }

        try
        {
            var tokens = await server.TokenizeAsync("<|im_end|>", cancellationToken: cancellationToken).ConfigureAwait(false);
            return tokens.Count == 1 ? tokens[0] : null;
        }
        catch (HttpRequestException)
        {
            // A server that cannot tokenize is reported by the checks themselves; the prefill then works without the bias.
            return null;
        }
    }
}
