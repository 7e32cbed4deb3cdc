using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Conformance;

/// <summary>
/// Runs protocol checks against any <see cref="IChatClient"/> (and optionally an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>):
/// chat, streaming, usage, tools (streamed and parallel), JSON schema, reasoning, embeddings and context length.
/// Each check asserts shapes, counts, types and errors, never the wording of an answer, and turns every failure into a result
/// with the reason rather than an exception.
/// </summary>
/// <example>
/// <code>
/// var report = await new ConformanceRunner(chatClient).RunAsync();
/// Assert.True(report.Succeeded, report.ToTable());
/// </code>
/// </example>
public sealed class ConformanceRunner
{
    private static readonly ConformanceCheck[] AllChecks = Enum.GetValues<ConformanceCheck>();

    private static readonly AIFunctionDeclaration WeatherTool = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "Get the current weather for a city",
        JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo"]},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}"""));

    private static readonly JsonElement ColorSchema = JsonElement.Parse(
        """{"type":"object","properties":{"color":{"type":"string","enum":["red","green","blue"]},"ok":{"type":"boolean"}},"required":["color","ok"],"additionalProperties":false}""");

    private readonly IChatClient _chatClient;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private readonly ConformanceOptions _options;
    private readonly ConformanceMeasurements _measurements = new();
    private StreamRun? _lastStream;

    /// <summary>Initializes a new instance of the <see cref="ConformanceRunner"/> class.</summary>
    /// <param name="chatClient">The client to check; it is neither changed nor disposed.</param>
    /// <param name="embeddingGenerator">The embedding generator to check, or <see langword="null"/> to skip <see cref="ConformanceCheck.Embeddings"/>.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    public ConformanceRunner(IChatClient chatClient, IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null, ConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _embeddingGenerator = embeddingGenerator;
        _options = options ?? new ConformanceOptions();
    }

    /// <summary>Runs the selected checks (all by default) in order and reports them. Never throws for what the endpoint does.</summary>
    /// <param name="cancellationToken">The token to cancel the run.</param>
    /// <returns>The report.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ConformanceReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<ConformanceResult>();
        ConformanceResult? chat = null;
        foreach (var check in AllChecks.Where(c => _options.Checks.Count == 0 || _options.Checks.Contains(c)))
        {
            ConformanceResult result;
            if (chat is { Passed: false } && NeedsChat(check))
            {
                result = new ConformanceResult(check, ConformanceOutcome.Skipped, "not run: chat failed", IsRequired(check), TimeSpan.Zero);
            }
            else
            {
                result = await RunCheckAsync(check, cancellationToken).ConfigureAwait(false);
            }

            chat = check == ConformanceCheck.Chat ? result : chat;
            results.Add(result);
        }

        return new ConformanceReport(results, _measurements);
    }

    /// <summary>Runs one check. Never throws for what the endpoint does: an error becomes a failed result that says why.</summary>
    /// <param name="check">The check.</param>
    /// <param name="cancellationToken">The token to cancel the check.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ConformanceResult> RunCheckAsync(ConformanceCheck check, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CheckTimeout);
        long start = Stopwatch.GetTimestamp();
        (ConformanceOutcome Outcome, string Detail) outcome;
        try
        {
            outcome = await RunCoreAsync(check, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = (ConformanceOutcome.Failed, string.Create(CultureInfo.InvariantCulture, $"no complete answer within {_options.CheckTimeout.TotalSeconds:0} s"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure of the endpoint is a finding, reported with its reason; only the caller's cancellation propagates.
            outcome = (ConformanceOutcome.Failed, Describe(e));
        }

        return new ConformanceResult(check, outcome.Outcome, outcome.Detail, IsRequired(check), Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Turns an exception from a client into one line that says what went wrong, without a stack trace.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The line.</returns>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OpenModelException model)
        {
            string status = model.StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)code}") : "no status";
            string errorCode = model.ErrorCode is { Length: > 0 } c ? $" ({c})" : string.Empty;
            return $"{model.GetType().Name}, {status}{errorCode}: {model.ProviderMessage ?? model.Message}";
        }

        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode == SocketError.ConnectionRefused
                    ? "connection refused: nothing listens at the endpoint (is the server running, and on this port?)"
                    : $"cannot connect: {socket.Message}";
            }
        }

        return $"{exception.GetType().Name}: {exception.Message}";
    }

    private static bool NeedsChat(ConformanceCheck check) => check is not (ConformanceCheck.Embeddings or ConformanceCheck.ContextLength);

    private bool IsRequired(ConformanceCheck check) => _options.RequiredChecks.Contains(check);

    private Task<(ConformanceOutcome, string)> RunCoreAsync(ConformanceCheck check, CancellationToken cancellationToken) => check switch
    {
        ConformanceCheck.Chat => ChatAsync(cancellationToken),
        ConformanceCheck.Streaming => StreamingAsync(cancellationToken),
        ConformanceCheck.UsageInStream => UsageInStreamAsync(cancellationToken),
        ConformanceCheck.ServerTimings => ServerTimingsAsync(cancellationToken),
        ConformanceCheck.Tools => ToolsAsync(streamed: false, cancellationToken),
        ConformanceCheck.StreamedTools => ToolsAsync(streamed: true, cancellationToken),
        ConformanceCheck.ParallelTools => ParallelToolsAsync(cancellationToken),
        ConformanceCheck.JsonSchema => JsonSchemaAsync(cancellationToken),
        ConformanceCheck.Reasoning => ReasoningAsync(cancellationToken),
        ConformanceCheck.Embeddings => EmbeddingsAsync(cancellationToken),
        ConformanceCheck.ContextLength => ContextLengthAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown check"),
    };

    private static (ConformanceOutcome, string) Pass(string detail) => (ConformanceOutcome.Passed, detail);

    private static (ConformanceOutcome, string) Fail(string detail) => (ConformanceOutcome.Failed, detail);

    private (List<ChatMessage> Messages, ChatOptions Options) Request(ConformanceCheck check, string prompt)
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, prompt) };
        var options = new ChatOptions { ModelId = _options.ModelId, Seed = _options.Seed, MaxOutputTokens = _options.MaxOutputTokens };
        return (messages, options);
    }

    private (List<ChatMessage> Messages, ChatOptions Options) Configured((List<ChatMessage> Messages, ChatOptions Options) request, ConformanceCheck check)
    {
        _options.ConfigureRequest?.Invoke(check, request.Messages, request.Options);
        return request;
    }

    private async Task<(ConformanceOutcome, string)> ChatAsync(CancellationToken cancellationToken)
    {
        var (messages, options) = Configured(Request(ConformanceCheck.Chat, "Say hello in one short sentence."), ConformanceCheck.Chat);
        var response = await _chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var assistant = response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant);
        if (assistant is null)
        {
            return Fail($"no assistant message in the response ({response.Messages.Count} message(s))");
        }

        if (response.FinishReason is null)
        {
            return Fail("the response has no finish reason");
        }

        if (string.IsNullOrEmpty(response.Text) && response.FinishReason != ChatFinishReason.Length)
        {
            return Fail($"empty answer with finish reason {response.FinishReason}");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"{response.Text.Length} chars, finish {response.FinishReason}, {response.Usage?.OutputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "no"} output tokens"));
    }

    private async Task<StreamRun> StreamAsync(CancellationToken cancellationToken)
    {
        var (messages, options) = Configured(Request(ConformanceCheck.Streaming, "Count from one to ten in words."), ConformanceCheck.Streaming);
        var run = new StreamRun();
        long start = Stopwatch.GetTimestamp();
        await foreach (var update in _chatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            run.Updates.Add(update);
            bool hasText = update.Contents.Any(c => c is TextContent { Text.Length: > 0 } or TextReasoningContent { Text.Length: > 0 });
            if (hasText)
            {
                run.TextUpdates++;
                run.FirstToken ??= Stopwatch.GetElapsedTime(start);
                run.LastToken = Stopwatch.GetElapsedTime(start);
            }

            run.FinishReason = update.FinishReason ?? run.FinishReason;
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                run.Usage = usage.Details;
            }
        }

        _lastStream = run;
        _measurements.TimeToFirstToken = run.FirstToken;
        if (run.Usage?.AdditionalCounts?.TryGetValue(UsageCountKeys.OutputTokensPerSecond, out long serverRate) is true && serverRate > 0)
        {
            _measurements.OutputTokensPerSecond = serverRate;
            _measurements.OutputTokensPerSecondSource = "server";
        }
        else if (run.FirstToken is { } first && run.LastToken is { } last && last > first && run.TextUpdates > 1)
        {
            double tokens = run.Usage?.OutputTokenCount is { } output && output > 1 ? output - 1 : run.TextUpdates - 1;
            _measurements.OutputTokensPerSecond = Math.Round(tokens / (last - first).TotalSeconds, 1);
            _measurements.OutputTokensPerSecondSource = "client";
        }

        return run;
    }

    private async Task<(ConformanceOutcome, string)> StreamingAsync(CancellationToken cancellationToken)
    {
        var run = await StreamAsync(cancellationToken).ConfigureAwait(false);
        if (run.TextUpdates == 0)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"no text in {run.Updates.Count} update(s)"));
        }

        if (run.FinishReason is null)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"the stream ended without a finish reason after {run.TextUpdates} text update(s)"));
        }

        string joined = string.Concat(run.Updates.Select(u => u.Text));
        if (joined != run.Updates.ToChatResponse().Text)
        {
            return Fail("the updates do not join into the response text");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"{run.TextUpdates} text updates, finish {run.FinishReason}, first text after {run.FirstToken?.TotalMilliseconds:0} ms"));
    }

    private async Task<StreamRun> LastOrNewStreamAsync(CancellationToken cancellationToken) => _lastStream ?? await StreamAsync(cancellationToken).ConfigureAwait(false);

    private async Task<(ConformanceOutcome, string)> UsageInStreamAsync(CancellationToken cancellationToken)
    {
        var usage = (await LastOrNewStreamAsync(cancellationToken).ConfigureAwait(false)).Usage;
        if (usage is null)
        {
            return Fail("no UsageContent in the stream");
        }

        if (usage.InputTokenCount is not > 0 || usage.OutputTokenCount is not > 0)
        {
            return Fail($"usage without token counts (input {usage.InputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "none"}, output {usage.OutputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"input {usage.InputTokenCount}, output {usage.OutputTokenCount}, total {usage.TotalTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
    }

    private async Task<(ConformanceOutcome, string)> ServerTimingsAsync(CancellationToken cancellationToken)
    {
        var counts = (await LastOrNewStreamAsync(cancellationToken).ConfigureAwait(false)).Usage?.AdditionalCounts;
        string[] keys = [UsageCountKeys.PromptEvalDurationNs, UsageCountKeys.EvalDurationNs, UsageCountKeys.OutputTokensPerSecond];
        var present = keys.Where(k => counts?.ContainsKey(k) is true).ToList();
        return present.Count == 0
            ? Fail("the usage carries no server timings")
            : Pass(string.Join(", ", present.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k} {counts![k]}"))));
    }

    private async Task<(ConformanceOutcome, string)> ToolsAsync(bool streamed, CancellationToken cancellationToken)
    {
        var check = streamed ? ConformanceCheck.StreamedTools : ConformanceCheck.Tools;
        var (messages, options) = Request(check, "What is the weather in Paris, in celsius? Use the tool.");
        options.Tools = [WeatherTool];
        options.ToolMode = ChatToolMode.RequireAny;
        Configured((messages, options), check);
        var response = streamed
            ? await _chatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false)
            : await _chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        if (calls.Count == 0)
        {
            return Fail($"no tool call: the model answered with {response.Text.Length} chars of text, finish {response.FinishReason?.ToString() ?? "none"} (tool choice \"required\" sent)");
        }

        if (CheckCalls(calls) is { } problem)
        {
            return Fail(problem);
        }

        if (response.FinishReason != ChatFinishReason.ToolCalls)
        {
            return Fail($"{calls.Count} tool call(s) but finish reason {response.FinishReason?.ToString() ?? "none"} instead of tool_calls");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"{calls.Count} call(s) to {calls[0].Name}, arguments {string.Join(", ", calls[0].Arguments!.Keys)}, finish tool_calls"));
    }

    private static string? CheckCalls(List<FunctionCallContent> calls)
    {
        foreach (var call in calls)
        {
            if (call.Name != WeatherTool.Name)
            {
                return $"a call to an unknown tool \"{call.Name}\"";
            }

            if (string.IsNullOrEmpty(call.CallId))
            {
                return "a tool call without a call id";
            }

            if (call.Exception is { } e)
            {
                return $"the arguments of call {call.CallId} did not parse: {e.Message}";
            }

            if (call.Arguments is not { Count: > 0 } arguments || !arguments.ContainsKey("city"))
            {
                return $"call {call.CallId} has no \"city\" argument (arguments: {string.Join(", ", call.Arguments?.Keys ?? [])})";
            }
        }

        var ids = calls.Select(c => c.CallId).Distinct(StringComparer.Ordinal).Count();
        return ids == calls.Count ? null : "two tool calls share one call id";
    }

    private async Task<(ConformanceOutcome, string)> ParallelToolsAsync(CancellationToken cancellationToken)
    {
        var (messages, options) = Request(ConformanceCheck.ParallelTools, "What is the weather in Paris and in Tokyo, in celsius? Call the tool once per city, both at once.");
        options.Tools = [WeatherTool];
        options.ToolMode = ChatToolMode.RequireAny;
        options.AllowMultipleToolCalls = true;
        Configured((messages, options), ConformanceCheck.ParallelTools);
        var response = await _chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        if (calls.Count < 2)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"{calls.Count} tool call(s) where two were asked for, finish {response.FinishReason?.ToString() ?? "none"}"));
        }

        return CheckCalls(calls) is { } problem ? Fail(problem) : Pass(string.Create(CultureInfo.InvariantCulture, $"{calls.Count} calls with distinct ids in one answer"));
    }

    private async Task<(ConformanceOutcome, string)> JsonSchemaAsync(CancellationToken cancellationToken)
    {
        var (messages, options) = Request(ConformanceCheck.JsonSchema, "Pick a color. Answer as JSON.");
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(ColorSchema, "color", "A color and a flag");
        Configured((messages, options), ConformanceCheck.JsonSchema);
        var response = await _chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        string text = response.Text.Trim();
        JsonElement root;
        try
        {
            root = JsonElement.Parse(text);
        }
        catch (JsonException e)
        {
            return Fail($"the answer is not JSON ({e.Message}); finish {response.FinishReason?.ToString() ?? "none"}, {text.Length} chars");
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("color", out var color) || color.ValueKind != JsonValueKind.String || color.GetString() is not ("red" or "green" or "blue")
            || !root.TryGetProperty("ok", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Fail($"JSON that does not match the schema: {Shorten(text)}");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"schema-valid object ({root.EnumerateObject().Count()} properties)"));
    }

    private async Task<(ConformanceOutcome, string)> ReasoningAsync(CancellationToken cancellationToken)
    {
        var (messages, options) = Request(ConformanceCheck.Reasoning, "What is 17 times 23? Think it through.");
        options.Reasoning = new ReasoningOptions { Effort = _options.ReasoningEffort };
        Configured((messages, options), ConformanceCheck.Reasoning);
        var response = await _chatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);
        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Where(r => r.Text.Length > 0).ToList();
        if (reasoning.Count == 0)
        {
            return Fail($"no reasoning came back ({response.Text.Length} chars of answer, finish {response.FinishReason?.ToString() ?? "none"})");
        }

        int chars = reasoning.Sum(r => r.Text.Length);
        string provider = ReasoningProvenance.GetProvider(reasoning[0]) ?? "an untagged client";
        _measurements.ReasoningSource = ReasoningField(provider);
        string answer = response.Text.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"then {response.Text.Length} chars of answer") : "no answer text (reasoning used the token limit)";
        return Pass(string.Create(CultureInfo.InvariantCulture, $"{chars} chars of reasoning via {_measurements.ReasoningSource}, {answer}, finish {response.FinishReason?.ToString() ?? "none"}"));
    }

    private static string ReasoningField(string provider) => provider switch
    {
        "ollama" => "thinking (ollama)",
        "vllm" => "reasoning (vllm)",
        "llama.cpp" or "deepseek" or "qwen" or "sglang" or "lmstudio" or "openai-compatible" => $"reasoning_content ({provider})",
        _ => $"TextReasoningContent ({provider})",
    };

    private async Task<(ConformanceOutcome, string)> EmbeddingsAsync(CancellationToken cancellationToken)
    {
        if (_embeddingGenerator is null)
        {
            return (ConformanceOutcome.Skipped, "no embedding generator given");
        }

        string[] inputs = ["The sky is blue.", "Grass is green."];
        var embeddings = await _embeddingGenerator.GenerateAsync(inputs, null, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != inputs.Length)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"{embeddings.Count} vector(s) for {inputs.Length} inputs"));
        }

        int dimensions = embeddings[0].Vector.Length;
        if (dimensions == 0 || embeddings.Any(e => e.Vector.Length != dimensions))
        {
            return Fail($"vectors of dimensions {string.Join(", ", embeddings.Select(e => e.Vector.Length))}");
        }

        if (embeddings.Any(e => e.Vector.Span.ContainsAnyExcept(0f) is false || !AllFinite(e.Vector.Span)))
        {
            return Fail("a vector is all zeros or holds NaN/infinity");
        }

        return Pass(string.Create(CultureInfo.InvariantCulture, $"{embeddings.Count} vectors of {dimensions} dimensions"));
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<(ConformanceOutcome, string)> ContextLengthAsync(CancellationToken cancellationToken)
    {
        if (_chatClient.GetService<ModelCapabilitiesProvider>() is not { } provider)
        {
            return (ConformanceOutcome.Skipped, "the client offers no ModelCapabilitiesProvider");
        }

        var capabilities = await provider.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (capabilities.ContextLength is not { } length)
        {
            return (ConformanceOutcome.Skipped, $"the endpoint reports none (source: {capabilities.Source})");
        }

        _measurements.ContextLength = length;
        return length > 0 ? Pass(string.Create(CultureInfo.InvariantCulture, $"{length} tokens (source: {capabilities.Source})")) : Fail(string.Create(CultureInfo.InvariantCulture, $"reported as {length}"));
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");

    private sealed class StreamRun
    {
        public List<ChatResponseUpdate> Updates { get; } = [];

        public int TextUpdates { get; set; }

        public TimeSpan? FirstToken { get; set; }

        public TimeSpan? LastToken { get; set; }

        public ChatFinishReason? FinishReason { get; set; }

        public UsageDetails? Usage { get; set; }
    }
}
