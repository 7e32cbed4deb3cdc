// Shared by the console samples: expected failures become one line on stderr and an exit code, never a stack trace.
using Microsoft.Extensions.Options;
using OpenModelClient;

/// <summary>Turns the failures a user can meet (no server, bad configuration, a server's error) into one clear line and an exit code.</summary>
internal static class SampleErrors
{
    /// <summary>The server answered with an error, or the request failed in another expected way.</summary>
    public const int Failed = 1;

    /// <summary>Nothing answered at the endpoint.</summary>
    public const int NoServer = 2;

    /// <summary>The configuration is invalid.</summary>
    public const int InvalidConfiguration = 3;

    /// <summary>Returns whether the exception is one of the expected failures <see cref="Report"/> explains.</summary>
    public static bool IsExpected(Exception e) => e is HttpRequestException or OptionsValidationException or SampleConfigurationException;

    /// <summary>Writes one line to stderr saying what went wrong and what to do, and returns the exit code.</summary>
    public static int Report(Exception e, SampleSettings? settings)
    {
        var (code, message) = Describe(e, settings);
        Console.Error.WriteLine(message);
        return code;
    }

    /// <summary>The exit code and the one-line message for an expected failure.</summary>
    public static (int Code, string Message) Describe(Exception e, SampleSettings? settings) => e switch
    {
        OptionsValidationException invalid => (InvalidConfiguration, $"Invalid configuration: {string.Join(" ", invalid.Failures)}"),
        SampleConfigurationException invalid => (InvalidConfiguration, $"Invalid configuration: {invalid.Message}"),
        HttpRequestException http when IsUnreachable(http) => (NoServer,
            $"No model server answered at {settings?.Endpoint} (profile {settings?.Profile}, provider {settings?.OpenModel["Provider"]}): {Flatten(http.Message).TrimEnd('.')}. "
            + $"{StartHint(settings?.OpenModel["Provider"])}, or choose another server with --provider <profile> or --OpenModel:Endpoint=http://host:port."),
        OpenModelException model => (Failed, Flatten(model.Message)),
        _ => (Failed, Flatten(e.Message)),
    };

    /// <summary>Returns whether the request never reached a server: refused, unresolvable, or unroutable.</summary>
    public static bool IsUnreachable(HttpRequestException e) =>
        e is not OpenModelException && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;

    private static string StartHint(string? provider) => provider?.ToUpperInvariant() switch
    {
        "LLAMACPP" => "Start one with `llama-server -m model.gguf --jinja --port 8080`, or start Ollama (`ollama serve`) and use --provider ollama",
        "OLLAMA" => "Start Ollama with `ollama serve` (https://ollama.com/download)",
        "OPENAICOMPATIBLE" => "Start your OpenAI-compatible server (e.g. `vllm serve Qwen/Qwen3-8B`)",
        _ => "Check the network and the endpoint",
    };

    private static string Flatten(string text) => text.ReplaceLineEndings(" ").Trim();
}
