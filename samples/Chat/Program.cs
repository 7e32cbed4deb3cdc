// The main sample: chat with the model server of a profile in appsettings.json. Answers stream in, reasoning is dimmed, and a
// footer gives the tokens, time to first token and tokens/s. With a prompt it answers once; without one, in a terminal, it is a
// REPL (/clear forgets the conversation, /exit or Ctrl+D leaves, Ctrl+C stops an answer).
//   dotnet run --project samples/Chat -- "Why is the sky blue?"
//   dotnet run --project samples/Chat -- --provider ollama             (a profile from appsettings.json)
//   dotnet run --project samples/Chat -- --OpenModel:Endpoint=http://192.168.1.20:9931 "Why is the sky blue?"
//   OpenModel__Endpoint=http://localhost:9931 dotnet run --project samples/Chat
// Exit codes: 0 answered, 1 the server reported an error, 2 nothing answered, 3 invalid configuration.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

SampleSettings? settings = null;
try
{
    // The generic host reads appsettings.json (next to the program), the environment and user secrets; the command line comes
    // last, with --provider/-p as the name of the profile to use.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddCommandLine(args, SampleSettings.Switches);
    settings = SampleSettings.Select(builder.Configuration, args);

    // The answer owns stdout; the library's warnings (e.g. tools dropped for a server without tool support) go to stderr.
    builder.Logging.ClearProviders()
        .AddFilter(SampleLogging.Filter)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Services.AddOpenModelChatClient(settings.OpenModel);
    using var host = builder.Build();
    var chat = new ChatSession(host.Services.GetRequiredService<IChatClient>());
    await chat.EnsureModelAsync();

    bool interactive = settings.Prompt.Length == 0 && !Console.IsInputRedirected && !Console.IsOutputRedirected;
    if (!interactive)
    {
        string piped = settings.Prompt.Length == 0 && Console.IsInputRedirected ? (await Console.In.ReadToEndAsync()).Trim() : "";
        string prompt = settings.Prompt.Length > 0 ? settings.Prompt : piped.Length > 0 ? piped : "Say hello in one short sentence.";
        await chat.AskAsync(prompt);
        return 0;
    }

    ChatSession.WriteBanner(settings);
    while (ChatSession.ReadPrompt() is { } line)
    {
        switch (line)
        {
            case "/exit" or "/quit":
                return 0;
            case "/clear":
                chat.Clear();
                break;
            case { Length: > 0 }:
                try
                {
                    await chat.AskAsync(line);
                }
                catch (Exception e) when (SampleErrors.IsExpected(e))
                {
                    SampleErrors.Report(e, settings); // the conversation goes on: start the server, then ask again
                }

                break;
        }
    }

    return 0;
}
catch (Exception e) when (SampleErrors.IsExpected(e))
{
    return SampleErrors.Report(e, settings);
}
