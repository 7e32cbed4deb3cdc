// Runs the same two requests against every profile in appsettings.json: one streamed prompt, then one structured-output request
// (GetResponseAsync<T>, a JSON schema built from a C# type). Prints a table to compare them: provider, model, time to first
// token, tokens/s, tokens and the outcome. A profile that fails shows its typed error in the outcome column; the others go on.
// Keys for hosted profiles come from the environment: Profiles__deepseek__ApiKey=sk-… dotnet run --project samples/ProviderSwap
//   dotnet run --project samples/ProviderSwap
//   dotnet run --project samples/ProviderSwap -- "Explain recursion in one sentence."
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

SampleSettings settings;
try
{
    settings = SampleSettings.Load(args);
}
catch (SampleConfigurationException e)
{
    return SampleErrors.Report(e, null);
}

string prompt = settings.Prompt.Length > 0 ? settings.Prompt : "In one sentence: why is the sky blue?";
var services = new ServiceCollection();
foreach (var profile in settings.Profiles)
{
    services.AddKeyedOpenModelChatClient(profile.Key, profile); // one keyed client per profile, each with its own resilience pipeline
}

await using var provider = services.BuildServiceProvider();
var table = new Table().Border(TableBorder.Simple)
    .AddColumns("Profile", "Provider", "Model", "1st token", "tok/s", "Tokens", "Outcome");
var details = new List<string>();
int answered = 0, reached = 0;
foreach (var profile in settings.Profiles)
{
    var row = await AnsiConsole.Status().StartAsync($"Asking {profile.Key}…", _ => Comparison.RunAsync(provider, profile, prompt));
    answered += row.Answered ? 1 : 0;
    reached += row.Reached ? 1 : 0;
    details.Add($"{profile.Key}: {row.Details}");
    table.AddRow(
        new Text(profile.Key),
        new Text(profile["Provider"] ?? "?"),
        new Text(row.Model),
        new Text(row.Meter?.FirstToken ?? "–"),
        new Text(row.Meter?.TokensPerSecond?.ToString("0", CultureInfo.InvariantCulture) ?? "–"),
        new Text(row.Meter?.Usage?.TotalTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "–"),
        new Markup(row.Outcome));
}

if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160; // no terminal to fit: keep rows on one line in a log rather than squeeze them into 80 columns
}

AnsiConsole.MarkupLine($"[green bold]prompt ›[/] {Markup.Escape(prompt)}");
AnsiConsole.Write(table);
details.ForEach(Console.WriteLine); // unwrapped: error messages stay whole for copying and searching
// 0: some profile answered; 1: servers were reached but each answered with an error; 2: nothing answered at all.
return answered > 0 ? 0 : reached > 0 ? SampleErrors.Failed : SampleErrors.NoServer;
