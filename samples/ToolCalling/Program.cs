// Tool calling through Microsoft.Extensions.AI's UseFunctionInvocation(): the model may call two real tools, the current UTC
// time and a unit conversion; the middleware runs them and sends the results back until the model answers. The code is the
// same for every provider: pick one with --provider <profile> from appsettings.json, as in the Chat sample. The model must
// support tools (llama-server needs --jinja; Ollama: qwen3, llama3.1, …).
//   dotnet run --project samples/ToolCalling
//   dotnet run --project samples/ToolCalling -- --provider ollama "How many pounds is 70 kg?"
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

SampleSettings? settings = null;
try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddCommandLine(args, SampleSettings.Switches);
    settings = SampleSettings.Select(builder.Configuration, args);

    // Warnings go to stderr: when the server reports no tool support, the capability guard drops the tools and says so here.
    builder.Logging.ClearProviders().AddFilter(SampleLogging.Filter).AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Services.AddOpenModelChatClient(settings.OpenModel).UseFunctionInvocation();
    using var host = builder.Build();
    var client = host.Services.GetRequiredService<IChatClient>();

    var options = new ChatOptions
    {
        Tools = [AIFunctionFactory.Create(Tools.GetUtcTime, "get_utc_time"), AIFunctionFactory.Create(Tools.ConvertUnits, "convert_units")],
    };
    string prompt = settings.Prompt.Length > 0 ? settings.Prompt : "A marathon is 42.195 km. How many miles is that, and what time is it now in UTC?";
    AnsiConsole.MarkupLine($"[green bold]you ›[/] {Markup.Escape(prompt)}");

    var meter = new StreamMeter();
    var response = await client.GetResponseAsync(prompt, options);
    meter.Observe(response);

    // The response holds the whole exchange: the model's calls, the tools' results, then the answer.
    foreach (var content in response.Messages.SelectMany(m => m.Contents))
    {
        switch (content)
        {
            case FunctionCallContent call:
                AnsiConsole.MarkupLine($"[grey]tool call ›[/] {Markup.Escape($"{call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? [])})")}");
                break;
            case FunctionResultContent result:
                AnsiConsole.MarkupLine($"[grey]tool result ›[/] {Markup.Escape(result.Exception?.Message ?? result.Result?.ToString() ?? "")}");
                break;
        }
    }

    AnsiConsole.WriteLine(response.Text);
    int modelCalls = response.Messages.Count(m => m.Role == ChatRole.Assistant), toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
    AnsiConsole.Console.WriteLine($"{meter.Tokens} over {modelCalls} model calls · {toolCalls} tool call(s)", new Style(Color.Grey));
    return 0;
}
catch (Exception e) when (SampleErrors.IsExpected(e))
{
    return SampleErrors.Report(e, settings);
}
