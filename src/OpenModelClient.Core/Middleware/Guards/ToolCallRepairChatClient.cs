using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>A delegating chat client that repairs tool calls small models almost get right, and tells the model what was wrong when they cannot be repaired.</summary>
/// <remarks>
/// <para>Every <see cref="FunctionCallContent"/> in a reply is checked against the request's tools (<see cref="ChatOptions.Tools"/>,
/// their JSON schemas). Repaired deterministically: a tool name that differs from a declared one only in case or separators
/// (<c>Get-Weather</c> → <c>get_weather</c>); arguments in a code fence, with single quotes, trailing commas, closing brackets missing
/// at the end, sent as a JSON string; argument names that differ only in case or separators. Nothing is invented: an unknown tool, a
/// missing required argument or text that still does not parse is not repaired.</para>
/// <para>A call that cannot be repaired never reaches function invocation with empty arguments. The model is told what was wrong: the
/// guard sends the conversation back with the reply's calls and, as their results, an error naming the problem, and asks again, up to
/// <see cref="MaxCorrections"/> times; the reply the caller (or <c>FunctionInvokingChatClient</c>) gets is the corrected one. When the
/// corrections are spent, <see cref="InvalidToolCallException"/> is raised. A call whose arguments were cut off by the output limit is
/// left to <see cref="TruncatedToolCallChatClient"/> and never repaired here.</para>
/// <para>Streaming passes everything through until an update carries a call; from there it holds the rest until the end, when the
/// calls are decided. Repairs are logged and counted. The caller's options and messages are never changed. Instances are thread-safe.</para>
/// </remarks>
public sealed class ToolCallRepairChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly string _provider;
    private int _maxCorrections = 2;

    /// <summary>Initializes a new instance of the <see cref="ToolCallRepairChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose tool calls are checked.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public ToolCallRepairChatClient(IChatClient innerClient, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = GuardLog.For<ToolCallRepairChatClient>(loggerFactory);
        _provider = GuardMetrics.ProviderOf(innerClient);
    }

    /// <summary>Gets or sets how many times the model is told what was wrong with a call and asked again before <see cref="InvalidToolCallException"/> is raised.</summary>
    /// <value>The default is 2; 0 raises at once. At most 10.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 0 or above 10.</exception>
    public int MaxCorrections
    {
        get => _maxCorrections;
        set => _maxCorrections = value is >= 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The number of corrections must be from 0 to 10.");
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tools = Declarations(options);
        if (tools is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var history = messages as List<ChatMessage> ?? [.. messages];
        UsageDetails? spent = null;
        for (int round = 0; ; round++)
        {
            var response = await base.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            var (repaired, problems) = Decide(calls, tools, response.FinishReason);
            if (problems.Count == 0)
            {
                foreach (var message in repaired.Count > 0 ? response.Messages : [])
                {
                    message.Contents = Replace(message.Contents, repaired);
                }

                response.Usage = Add(spent, response.Usage);
                return response;
            }

            spent = Add(spent, response.Usage);
            history = Correction(history, calls, problems, round, response.ResponseId);
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tools = Declarations(options);
        return tools is null ? base.GetStreamingResponseAsync(messages, options, cancellationToken) : StreamAsync(messages, options, tools, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, Dictionary<string, AIFunctionDeclaration> tools, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var history = messages as List<ChatMessage> ?? [.. messages];
        for (int round = 0; ; round++)
        {
            List<ChatResponseUpdate>? held = null;
            var calls = new List<FunctionCallContent>();
            ChatFinishReason? finish = null;
            string? responseId = null;
            await foreach (var update in base.GetStreamingResponseAsync(history, options, cancellationToken).ConfigureAwait(false))
            {
                finish = update.FinishReason ?? finish;
                responseId ??= update.ResponseId;
                calls.AddRange(update.Contents.OfType<FunctionCallContent>());
                if (held is null && calls.Count == 0)
                {
                    yield return update;
                }
                else
                {
                    (held ??= []).Add(update);
                }
            }

            var (repaired, problems) = Decide(calls, tools, finish);
            if (problems.Count == 0)
            {
                foreach (var update in held ?? [])
                {
                    if (repaired.Count > 0)
                    {
                        update.Contents = Replace(update.Contents, repaired);
                    }

                    yield return update;
                }

                yield break;
            }

            history = Correction(history, calls, problems, round, responseId);
            foreach (var update in held ?? [])
            {
                var usage = update.Contents.OfType<UsageContent>().ToList<AIContent>();
                if (usage.Count > 0)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, usage) { ResponseId = update.ResponseId }; // what the rejected round cost
                }
            }
        }
    }

    /// <summary>Repairs what can be repaired; returns the repaired calls by original, and the problems of the calls that cannot be.</summary>
    private (Dictionary<FunctionCallContent, FunctionCallContent> Repaired, Dictionary<FunctionCallContent, string> Problems) Decide(
        List<FunctionCallContent> calls, Dictionary<string, AIFunctionDeclaration> tools, ChatFinishReason? finish)
    {
        var repaired = new Dictionary<FunctionCallContent, FunctionCallContent>(ReferenceEqualityComparer.Instance);
        var problems = new Dictionary<FunctionCallContent, string>(ReferenceEqualityComparer.Instance);
        foreach (var call in calls)
        {
            var repairs = new List<string>();
            string name = call.Name;
            if (!tools.TryGetValue(name, out var tool))
            {
                if (ToolCallArgumentRepair.MatchName(name, tools.Keys) is { } match)
                {
                    repairs.Add($"tool name '{name}' read as '{match}'");
                    name = match;
                    tool = tools[match];
                }
                else
                {
                    problems[call] = $"there is no tool named '{name}'; the tools are {string.Join(", ", tools.Keys.Select(k => $"'{k}'"))}";
                    continue;
                }
            }

            ToolCallArgumentRepair.Result result;
            if (call.Exception is not null)
            {
                if (finish == ChatFinishReason.Length)
                {
                    problems[call] = "the arguments were cut off by the output limit";
                    continue;
                }

                result = ToolCallArgumentRepair.Repair(call.RawRepresentation as string, tool.JsonSchema);
                if (result.Problem is null && call.RawRepresentation is not string)
                {
                    result = new(null, result.Repairs, "the arguments could not be read");
                }
            }
            else
            {
                var parsed = call.Arguments is null ? new JsonObject() : JsonSerializer.SerializeToNode(call.Arguments, WireJson.Options.GetTypeInfo(typeof(IDictionary<string, object?>))) as JsonObject;
                result = parsed is null ? new(null, [], "the arguments are not an object") : ToolCallArgumentRepair.Check(parsed, tool.JsonSchema, []);
            }

            repairs.AddRange(result.Repairs);
            if (result.Problem is { } problem)
            {
                problems[call] = problem;
                continue;
            }

            if (repairs.Count > 0)
            {
                repaired[call] = new FunctionCallContent(call.CallId, name, ToDictionary(result.Arguments!))
                {
                    AdditionalProperties = call.AdditionalProperties,
                    RawRepresentation = call.RawRepresentation,
                };
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    string described = string.Join("; ", repairs);
                    GuardLog.ToolCallRepaired(_logger, _provider, name, described);
                }

                GuardMetrics.Record(GuardMetrics.ToolCallRepair, "repaired", _provider);
            }
        }

        return (repaired, problems);
    }

    /// <summary>The history plus the reply's calls and, as their results, what was wrong; throws when the corrections are spent.</summary>
    private List<ChatMessage> Correction(List<ChatMessage> history, List<FunctionCallContent> calls, Dictionary<FunctionCallContent, string> problems, int round, string? responseId)
    {
        var (first, problem) = problems.First();
        foreach (var (call, text) in problems)
        {
            GuardLog.ToolCallRejected(_logger, _provider, call.Name, text);
        }

        if (round >= _maxCorrections)
        {
            GuardMetrics.Record(GuardMetrics.ToolCallRepair, "rejected", _provider);
            throw new InvalidToolCallException(_provider, first.Name, problem, responseId);
        }

        GuardMetrics.Record(GuardMetrics.ToolCallRepair, "corrected", _provider);
        var sentCalls = calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Name, c.Exception is null ? c.Arguments : null)).ToList();
        var results = calls.Select(c => (AIContent)new FunctionResultContent(c.CallId, problems.TryGetValue(c, out var p)
            ? $"Error: the call was not run: {p}. Call the tool again with arguments that match its JSON schema."
            : "Not run: another call in the same reply was invalid. Make the calls again.")).ToList();
        return [.. history, new ChatMessage(ChatRole.Assistant, sentCalls), new ChatMessage(ChatRole.Tool, results)];
    }

    private static List<AIContent> Replace(IList<AIContent> contents, Dictionary<FunctionCallContent, FunctionCallContent> repaired) =>
        [.. contents.Select(c => c is FunctionCallContent call && repaired.TryGetValue(call, out var fixedCall) ? fixedCall : c)];

    private static Dictionary<string, AIFunctionDeclaration>? Declarations(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return null;
        }

        var map = new Dictionary<string, AIFunctionDeclaration>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration declaration)
            {
                map.TryAdd(declaration.Name, declaration);
            }
        }

        return map.Count > 0 ? map : null;
    }

    private static Dictionary<string, object?> ToDictionary(JsonObject arguments)
    {
        using var document = JsonDocument.Parse(arguments.ToJsonString());
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
    }

    private static UsageDetails? Add(UsageDetails? total, UsageDetails? more)
    {
        if (more is null)
        {
            return total;
        }

        if (total is null)
        {
            return more;
        }

        total.Add(more);
        return total;
    }
}
