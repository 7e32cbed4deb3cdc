using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient;

/// <summary>Runs the two requests against one profile and describes the outcome, turning any expected failure into a table cell.</summary>
internal static class Comparison
{
    private const string StructuredPrompt = "What is the capital of France? Give the country and its capital city.";

    public static async Task<ComparisonRow> RunAsync(IServiceProvider services, IConfigurationSection profile, string prompt)
    {
        string model = profile["Model"] ?? "(server's)";
        IChatClient client;
        try
        {
            client = services.GetRequiredKeyedService<IChatClient>(profile.Key);
        }
        catch (OptionsValidationException e)
        {
            return new(model, null, Failure(e), string.Join(" ", e.Failures), Answered: false, Reached: false);
        }

        var meter = new StreamMeter();
        var text = new StringBuilder();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(prompt))
            {
                meter.Observe(update);
                text.Append(update.Text);
                model = profile["Model"] ?? ShortModel(update.ModelId) ?? model;
            }
        }
        catch (Exception e) when (SampleErrors.IsExpected(e))
        {
            return new(model, null, Failure(e), e.Message, Answered: false, Reached: e is not HttpRequestException http || !SampleErrors.IsUnreachable(http));
        }

        string structured, structuredDetails;
        try
        {
            var capital = await client.GetResponseAsync<Capital>(StructuredPrompt);
            bool parsed = capital.TryGetResult(out var result) && result is { City.Length: > 0 };
            structured = parsed ? "[green]JSON ✓[/]" : "[yellow]JSON ✗[/] not the schema";
            structuredDetails = parsed ? $"{result!.City}, {result.Country}" : capital.Text;
        }
        catch (Exception e) when (SampleErrors.IsExpected(e))
        {
            (structured, structuredDetails) = ("JSON " + Failure(e), e.Message);
        }

        return new(model, meter, $"[green]✓[/] text, {structured}", $"{Shorten(text.ToString(), 160)} | JSON: {Shorten(structuredDetails, 100)}", Answered: true, Reached: true);
    }

    /// <summary>The exception's type, which says what went wrong (ModelNotFoundException, AuthenticationFailedException, …).</summary>
    private static string Failure(Exception e) => e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http and not OpenModelException
        ? $"[red]✗ {e.GetType().Name}[/] ({http.HttpRequestError})"
        : $"[red]✗ {e.GetType().Name}[/]";

    private static string Shorten(string text, int length)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
    }

    // llama.cpp reports the model file's path; its name is enough here.
    private static string? ShortModel(string? modelId) => modelId?.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) == true ? Path.GetFileName(modelId) : modelId;
}
