// Streams one answer from the model server named in appsettings.json, the environment (OpenModel__Endpoint=…)
// or the command line (--OpenModel:Endpoint=http://host:port). Anything that is not a --key=value is the prompt.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenModelClient;

var switches = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var prompt = string.Join(' ', args.Except(switches)) is { Length: > 0 } text ? text : "Say hello in one short sentence.";
var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(switches)
    .Build();
var section = configuration.GetSection("OpenModel");

var services = new ServiceCollection();
services.AddOpenModelChatClient(section);
await using var provider = services.BuildServiceProvider();

try
{
    var client = provider.GetRequiredService<IChatClient>();
    UsageDetails? usage = null;
    await foreach (var update in client.GetStreamingResponseAsync(prompt))
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent thought:
                    Console.ForegroundColor = ConsoleColor.DarkGray;
                    Console.Write(thought.Text);
                    Console.ResetColor();
                    break;
                case TextContent answer:
                    Console.Write(answer.Text);
                    break;
                case UsageContent u:
                    usage = u.Details;
                    break;
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine($"[{usage?.InputTokenCount} prompt tokens, {usage?.OutputTokenCount} output tokens]");
    return 0;
}
catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
{
    Console.Error.WriteLine($"No model server answered at {section["Endpoint"]} ({e.Message}). Start one with `llama-server -m model.gguf --jinja --port 8080`, or point this sample elsewhere with --OpenModel:Endpoint=http://host:port.");
    return 2;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"Invalid configuration: {e.Message}");
    return 3;
}
catch (OpenModelException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
