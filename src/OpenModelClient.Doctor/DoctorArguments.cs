using System.Globalization;
using OpenModelClient.Conformance;

namespace OpenModelClient.Doctor;

/// <summary>The parsed command line of <c>openmodel doctor</c>.</summary>
internal sealed class DoctorArguments
{
    public const string Usage = """
        Usage: openmodel doctor --provider <name> [--endpoint <url>] [--model <id>] [options]

        Checks an endpoint and prints what works (streaming, tools, parallel tools, JSON schema, reasoning, usage in the
        stream, server timings, embeddings, context length, time to first token, tokens per second), what does not and why.
        Exit code: 0 when every required check passed, 1 when one did not, 2 for a command-line or configuration error.

          --provider <name>         LlamaCpp, Ollama, DeepSeek, Qwen or OpenAICompatible (required)
          --endpoint <url>          the server, e.g. http://gpu-box:11434 (required for LlamaCpp and OpenAICompatible)
          --model <id>              the chat model, e.g. qwen3:8b (optional for LlamaCpp)
          --api-key <key>           sent as a bearer token; never printed
          --region <name>           Qwen only: Beijing, Singapore, US or HongKong
          --embeddings              also check embeddings, with the chat model
          --embedding-model <id>    also check embeddings, with this model
          --require <checks>        comma-separated checks that must pass besides chat and streaming, or "all":
                                    usage, timings, tools, streamed-tools, parallel-tools, json-schema, reasoning,
                                    embeddings, context-length
          --timeout <seconds>       the most one check may take (default 60)
          --seed <n>                the sampling seed of every request (default 42)
          --max-tokens <n>          the output limit of every request (default 64)
          --tool-call-prefill       prefill the assistant turn with <tool_call> so that a test model that never calls
                                    tools by itself does (llama.cpp with a Qwen/Hermes template)
        """;

    public string? Provider { get; private set; }

    public string? Endpoint { get; private set; }

    public string? Model { get; private set; }

    public string? ApiKey { get; private set; }

    public string? Region { get; private set; }

    public bool Embeddings { get; private set; }

    public string? EmbeddingModel { get; private set; }

    public HashSet<ConformanceCheck> Required { get; } = [];

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(60);

    public long Seed { get; private set; } = 42;

    public int MaxTokens { get; private set; } = 64;

    public bool ToolCallPrefill { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; returns the problem in one sentence when they are wrong.</summary>
    public static DoctorArguments Parse(IReadOnlyList<string> args, out string? problem)
    {
        var parsed = new DoctorArguments();
        problem = parsed.ParseInto(args);
        return parsed;
    }

    private string? ParseInto(IReadOnlyList<string> args)
    {
        var parsed = this;
        string? problem = null;
        int i;
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            parsed.Help = true;
            return null;
        }

        if (args[0] != "doctor")
        {
            return $"unknown command \"{args[0]}\"; the command is \"doctor\".";
        }

        for (i = 1; i < args.Count && problem is null; i++)
        {
            string name = args[i];
            string? Value()
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return args[++i];
                }

                problem = $"{name} needs a value.";
                return null;
            }

            switch (name)
            {
                case "-h" or "--help":
                    parsed.Help = true;
                    break;
                case "--provider":
                    parsed.Provider = Value();
                    break;
                case "--endpoint":
                    parsed.Endpoint = Value();
                    break;
                case "--model":
                    parsed.Model = Value();
                    break;
                case "--api-key":
                    parsed.ApiKey = Value();
                    break;
                case "--region":
                    parsed.Region = Value();
                    break;
                case "--embeddings":
                    parsed.Embeddings = true;
                    break;
                case "--embedding-model":
                    parsed.EmbeddingModel = Value();
                    parsed.Embeddings = parsed.EmbeddingModel is not null;
                    break;
                case "--tool-call-prefill":
                    parsed.ToolCallPrefill = true;
                    break;
                case "--require":
                    if (Value() is { } list)
                    {
                        problem = parsed.AddRequired(list);
                    }

                    break;
                case "--timeout":
                    if (Value() is { } seconds)
                    {
                        problem = int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s > 0 ? null : $"--timeout takes a whole number of seconds, not \"{seconds}\".";
                        parsed.Timeout = TimeSpan.FromSeconds(problem is null ? s : 60);
                    }

                    break;
                case "--seed":
                    if (Value() is { } seed)
                    {
                        problem = long.TryParse(seed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? null : $"--seed takes a number, not \"{seed}\".";
                        parsed.Seed = n;
                    }

                    break;
                case "--max-tokens":
                    if (Value() is { } max)
                    {
                        problem = int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m > 0 ? null : $"--max-tokens takes a positive number, not \"{max}\".";
                        parsed.MaxTokens = problem is null ? m : 64;
                    }

                    break;
                default:
                    problem = $"unknown option \"{name}\".";
                    break;
            }
        }

        if (problem is null && !parsed.Help && string.IsNullOrWhiteSpace(parsed.Provider))
        {
            problem = "--provider is required (LlamaCpp, Ollama, DeepSeek, Qwen or OpenAICompatible).";
        }

        return problem;
    }

    private string? AddRequired(string list)
    {
        foreach (string item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                Required.UnionWith(Enum.GetValues<ConformanceCheck>());
                continue;
            }

            string key = item.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
            ConformanceCheck? check = key.ToUpperInvariant() switch
            {
                "USAGE" => ConformanceCheck.UsageInStream,
                "TIMINGS" => ConformanceCheck.ServerTimings,
                _ => Enum.TryParse<ConformanceCheck>(key, ignoreCase: true, out var parsedCheck) ? parsedCheck : null,
            };
            if (check is null)
            {
                return $"--require: unknown check \"{item}\".";
            }

            Required.Add(check.Value);
        }

        return null;
    }
}
