using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OpenModelClient;

/// <summary>A delegating chat client that checks a reply against the JSON schema the request asked for, so an ignored constraint never reaches the caller as data.</summary>
/// <remarks>
/// <para>Applies when <see cref="ChatOptions.ResponseFormat"/> is a <see cref="ChatResponseFormatJson"/> with a schema
/// (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>, <c>GetResponseAsync&lt;T&gt;</c>). A reply whose text is
/// not JSON, or does not conform, raises <see cref="ResponseSchemaViolationException"/> with the text and the first violation. Servers
/// return such replies with HTTP 200 when they drop the constraint parameter (vLLM 0.12 dropped <c>guided_json</c>), apply it only with
/// thinking off (some Ollama versions), or fail to build the grammar. A reply that is only tool calls is not checked.</para>
/// <para>The validator is supplied (<c>UseJsonSchemaGuard()</c> in the OpenModelClient package supplies JsonSchema.Net's). Opt out for one
/// request with <see cref="SkipCheck(ChatOptions)"/>.</para>
/// <para>Streaming with a schema passes reasoning through as it comes but holds the reply's text until the end, where it is checked:
/// the caller never sees text that turns out not to conform. Instances are thread-safe.</para>
/// </remarks>
public sealed class JsonSchemaGuardChatClient : DelegatingChatClient
{
    private const string SkipKey = "openmodel.skip_json_schema_check";

    private readonly Func<JsonElement, JsonElement, string?> _validate;
    private readonly ILogger _logger;
    private readonly string _provider;

    /// <summary>Initializes a new instance of the <see cref="JsonSchemaGuardChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose replies are checked.</param>
    /// <param name="validate">Validates an instance (second argument) against a schema (first); returns the first violation, or <see langword="null"/> when it conforms.</param>
    /// <param name="loggerFactory">Where the guard logs; <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="validate"/> is <see langword="null"/>.</exception>
    public JsonSchemaGuardChatClient(IChatClient innerClient, Func<JsonElement, JsonElement, string?> validate, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(validate);
        _validate = validate;
        _logger = GuardLog.For<JsonSchemaGuardChatClient>(loggerFactory);
        _provider = GuardMetrics.ProviderOf(innerClient);
    }

    /// <summary>Marks <paramref name="options"/> so that the reply to this request is not checked.</summary>
    /// <param name="options">The request's options; changed in place.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <remarks>The mark never reaches the server: the guard removes it. Without the guard in the pipeline, do not set it.</remarks>
    public static ChatOptions SkipCheck(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[SkipKey] = true;
        return options;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (sent, schema) = Prepare(options);
        var response = await base.GetResponseAsync(messages, sent, cancellationToken).ConfigureAwait(false);
        if (schema is { } s && !response.Messages.SelectMany(m => m.Contents).Any(c => c is FunctionCallContent))
        {
            Check(response.Text, s, options!.ResponseFormat as ChatResponseFormatJson, response.ResponseId);
        }

        return response;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (sent, schema) = Prepare(options);
        return schema is { } s
            ? StreamAsync(messages, sent, s, (ChatResponseFormatJson)options!.ResponseFormat!, cancellationToken)
            : base.GetStreamingResponseAsync(messages, sent, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, JsonElement schema, ChatResponseFormatJson format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ChatResponseUpdate>? held = null;
        var text = new StringBuilder();
        bool calls = false;
        string? responseId = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            responseId ??= update.ResponseId;
            var contents = update.Contents;
            bool hasText = false;
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is TextContent t)
                {
                    text.Append(t.Text);
                    hasText = true;
                }
                else if (contents[i] is FunctionCallContent)
                {
                    calls = true;
                }
            }

            if (held is null && !hasText)
            {
                yield return update;
            }
            else
            {
                (held ??= []).Add(update);
            }
        }

        if (!calls)
        {
            Check(text.ToString(), schema, format, responseId);
        }

        foreach (var update in held ?? [])
        {
            yield return update;
        }
    }

    /// <summary>The options to send (without the skip mark) and the schema to check against, if any.</summary>
    private static (ChatOptions? Sent, JsonElement? Schema) Prepare(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(SkipKey) is true)
        {
            var copy = options.Clone();
            copy.AdditionalProperties = new(options.AdditionalProperties);
            copy.AdditionalProperties.Remove(SkipKey);
            return (copy, null);
        }

        return (options, options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? schema : null);
    }

    private void Check(string text, JsonElement schema, ChatResponseFormatJson? format, string? responseId)
    {
        string? violation;
        if (string.IsNullOrWhiteSpace(text))
        {
            violation = "the reply is empty";
        }
        else
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                violation = _validate(schema, document.RootElement);
            }
            catch (JsonException e)
            {
                violation = $"the reply is not valid JSON ({e.Message})";
            }
        }

        if (violation is null)
        {
            return;
        }

        GuardLog.SchemaViolated(_logger, _provider, violation);
        GuardMetrics.Record(GuardMetrics.JsonSchema, "rejected", _provider);
        throw new ResponseSchemaViolationException(_provider, text, violation, format?.SchemaName, responseId);
    }
}
