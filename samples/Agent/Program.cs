// An assistant the way people build one on Microsoft.Extensions.AI: the configured client, wrapped by a chat reducer (the model
// sees the system prompt and only the last Agent:MaxMessages messages) and by UseFunctionInvocation (the model may call tools,
// here a notebook and the clock, for up to Agent:MaxToolRounds rounds per question). The conversation is kept across turns.
// With a prompt it answers once; with piped input each line is a turn; in a terminal it is a REPL (/exit or Ctrl+D leaves).
//   dotnet run --project samples/Agent -- "Remember that the demo is on Friday, then tell me what time it is."
//   printf 'Remember: buy milk\nWhat did I ask you to remember?\n' | dotnet run --project samples/Agent -- --provider ollama
// The model must support tools (llama-server needs --jinja; Ollama: qwen3, llama3.1, …); a model that does not use them well
// still gets its answers printed, and the middleware returns an error to the model for a call to an unknown tool.
// Exit codes: 0 answered, 1 the server reported an error, 2 nothing answered, 3 invalid configuration.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

SampleSettings? settings = null;
try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddCommandLine(args, SampleSettings.Switches);
    settings = SampleSettings.Select(builder.Configuration, args);
    int maxMessages = builder.Configuration.GetValue("Agent:MaxMessages", 8);
    int maxToolRounds = builder.Configuration.GetValue("Agent:MaxToolRounds", 4);
    if (maxMessages < 2 || maxToolRounds < 1)
    {
        throw new SampleConfigurationException($"Agent:MaxMessages ({maxMessages}) must be at least 2 and Agent:MaxToolRounds ({maxToolRounds}) at least 1.");
    }

    // The answer owns stdout; the library's warnings (e.g. tools dropped for a server without tool support) go to stderr.
    builder.Logging.ClearProviders()
        .AddFilter(SampleLogging.Filter)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

    // The reducer is outside function invocation: it trims the conversation once per question, never a tool round in progress.
    builder.Services.AddOpenModelChatClient(settings.OpenModel)
        .UseChatReducer(new MessageCountingChatReducer(maxMessages))
        .UseFunctionInvocation(configure: invoker => invoker.MaximumIterationsPerRequest = maxToolRounds);
    builder.Services.AddSingleton(TimeProvider.System).AddSingleton<Notes>();
    using var host = builder.Build();

    var client = host.Services.GetRequiredService<IChatClient>();
    var notes = host.Services.GetRequiredService<Notes>();
    var options = new ChatOptions
    {
        Tools =
        [
            AIFunctionFactory.Create(notes.Remember, "remember"),
            AIFunctionFactory.Create(notes.Recall, "recall"),
            AIFunctionFactory.Create(notes.GetUtcTime, "get_utc_time"),
        ],
    };
    List<ChatMessage> history =
    [
        new(ChatRole.System, "You are a concise assistant. Use the remember tool to note what the user asks you to remember, "
            + "recall to read your notes, and get_utc_time for the current time. Answer in one or two sentences."),
    ];

    bool interactive = settings.Prompt.Length == 0 && !Console.IsInputRedirected && !Console.IsOutputRedirected;
    IEnumerable<string> prompts = settings.Prompt.Length > 0 ? [settings.Prompt]
        : Console.IsInputRedirected ? ReadLines(Console.In)
        : interactive ? Prompt() : ["What time is it in UTC? Remember that I asked."];
    if (interactive)
    {
        Console.WriteLine($"OpenModelClient agent · profile {settings.Profile} ({settings.OpenModel["Provider"]} at {settings.Endpoint}) · /exit or Ctrl+D leaves");
    }

    foreach (string prompt in prompts)
    {
        if (prompt is "/exit" or "/quit")
        {
            break;
        }

        if (!interactive)
        {
            Console.WriteLine($"you › {prompt}");
        }

        history.Add(new ChatMessage(ChatRole.User, prompt));
        try
        {
            var response = await client.GetResponseAsync(history, options);
            history.AddMessages(response);
            Print(response);
        }
        catch (Exception e) when (interactive && SampleErrors.IsExpected(e))
        {
            history.RemoveAt(history.Count - 1); // unanswered: asking again must not send it twice
            SampleErrors.Report(e, settings); // the conversation goes on: start the server, then ask again
        }
    }

    return 0;
}
catch (Exception e) when (SampleErrors.IsExpected(e))
{
    return SampleErrors.Report(e, settings);
}

// The exchange of one question: the model's tool calls, the tools' results, then the answer.
static void Print(ChatResponse response)
{
    foreach (var content in response.Messages.SelectMany(m => m.Contents))
    {
        switch (content)
        {
            case FunctionCallContent call:
                Console.WriteLine($"  tool call › {call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? [])})");
                break;
            case FunctionResultContent result:
                Console.WriteLine($"  tool result › {(result.Exception?.Message ?? result.Result?.ToString() ?? "").ReplaceLineEndings(" | ")}");
                break;
        }
    }

    Console.WriteLine($"agent › {(response.Text.Trim() is { Length: > 0 } text ? text : "(no text)")}");
}

static IEnumerable<string> ReadLines(TextReader reader)
{
    while (reader.ReadLine() is { } line)
    {
        if (line.Trim() is { Length: > 0 } prompt)
        {
            yield return prompt;
        }
    }
}

static IEnumerable<string> Prompt()
{
    while (true)
    {
        Console.Write("\nyou › ");
        if (Console.ReadLine()?.Trim() is not { } line)
        {
            yield break;
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
