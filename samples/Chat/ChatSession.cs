using Microsoft.Extensions.AI;
using OpenModelClient;
using Spectre.Console;

/// <summary>One conversation with one client: streams each answer to the terminal, reasoning dimmed, with a footer.</summary>
internal sealed class ChatSession(IChatClient client)
{
    private static readonly Style ReasoningStyle = new(decoration: Decoration.Dim | Decoration.Italic);
    private static readonly Style FooterStyle = new(foreground: Color.Grey);
    private readonly List<ChatMessage> _history = [];

    public static void WriteBanner(SampleSettings settings)
    {
        AnsiConsole.MarkupLine(Markup.Escape($"OpenModelClient chat · profile {settings.Profile} ({settings.OpenModel["Provider"]} at {settings.Endpoint})"));
        AnsiConsole.MarkupLine("[grey]/clear forgets the conversation, /exit or Ctrl+D leaves, Ctrl+C stops an answer.[/]");
    }

    /// <summary>Reads one line at the prompt; <see langword="null"/> at the end of input (Ctrl+D).</summary>
    public static string? ReadPrompt()
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Markup("[green bold]you ›[/] ");
        return Console.ReadLine()?.Trim();
    }

    public void Clear() => _history.Clear();

    /// <summary>For Ollama: pulls the configured model, with a progress bar, when the server does not have it yet.</summary>
    public async Task EnsureModelAsync()
    {
        if (client.GetService<OllamaServer>() is not { } ollama || client.GetService<ChatClientMetadata>()?.DefaultModelId is not { } model)
        {
            return;
        }

        try
        {
            await ollama.ShowModelAsync(model);
            return;
        }
        catch (ModelNotFoundException)
        {
            AnsiConsole.WriteLine($"Ollama does not have {model} yet; pulling it.");
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var layers = new Dictionary<string, ProgressTask>();
                await foreach (var step in ollama.PullModelStreamingAsync(model))
                {
                    if (step.Digest is { } digest && step.Total is { } total)
                    {
                        if (!layers.TryGetValue(digest, out var layer))
                        {
                            layers[digest] = layer = progress.AddTask(Markup.Escape(step.Status), maxValue: total);
                        }

                        layer.Value = step.Completed ?? 0;
                    }
                    else
                    {
                        progress.AddTask(Markup.Escape(step.Status), maxValue: 1).Increment(1); // a step without bytes to count
                    }
                }
            });
        AnsiConsole.WriteLine($"Pulled {model}.");
    }

    /// <summary>Sends the prompt with the conversation so far and streams the answer; Ctrl+C stops it and keeps the session.</summary>
    public async Task AskAsync(string prompt)
    {
        using var stop = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stop.Cancel();
        }

        _history.Add(new ChatMessage(ChatRole.User, prompt));
        var meter = new StreamMeter();
        var updates = new List<ChatResponseUpdate>();
        bool thinking = false;
        Console.CancelKeyPress += OnCancel;
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(_history, cancellationToken: stop.Token))
            {
                meter.Observe(update);
                updates.Add(update);
                foreach (var content in update.Contents)
                {
                    if (content is TextReasoningContent { Text.Length: > 0 } reasoning)
                    {
                        thinking = true;
                        AnsiConsole.Console.Write(reasoning.Text, ReasoningStyle);
                    }
                    else if (content is TextContent { Text.Length: > 0 } text)
                    {
                        if (thinking)
                        {
                            AnsiConsole.WriteLine(); // the answer starts on its own paragraph, apart from the reasoning
                            AnsiConsole.WriteLine();
                            thinking = false;
                        }

                        AnsiConsole.Console.Write(text.Text);
                    }
                }
            }

            _history.AddMessages(updates);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _history.AddMessages(updates);
            AnsiConsole.Console.Write(" (stopped)", ReasoningStyle);
        }
        catch
        {
            _history.RemoveAt(_history.Count - 1); // the question was not answered; asking again must not send it twice
            if (updates.Count > 0)
            {
                AnsiConsole.WriteLine(); // the error goes on a line of its own, not after the partial answer
            }

            throw;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }

        AnsiConsole.WriteLine();
        AnsiConsole.Console.WriteLine(meter.ToString(), FooterStyle);
    }
}
