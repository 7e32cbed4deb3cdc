using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>A delegating chat client that turns a <c>&lt;think&gt;…&lt;/think&gt;</c> block opening an assistant reply into <see cref="TextReasoningContent"/>.</summary>
/// <remarks>
/// <para>For any <see cref="IChatClient"/> whose server leaves reasoning inline in the text (a server without a reasoning parser, a proxy, a
/// client from another library). This library's own clients already split such blocks unless told not to; over them this decorator changes nothing.</para>
/// <para>Only a block at the start of a reply counts; a tag later in the text stays text. Streaming is safe across chunk boundaries: text
/// that may be part of a tag is held back until the next chunk decides it, so a tag split over several updates is still recognised. In a
/// non-streamed reply that has only a closing <c>&lt;/think&gt;</c> (the template opened the block in the prompt), the text before it is
/// reasoning. The reasoning produced is tagged with the inner client's provider name (<see cref="ReasoningProvenance"/>).</para>
/// <para>Reasoning and other content (tool calls, usage) pass through unchanged and in order. Instances are thread-safe; each response gets its own state.</para>
/// </remarks>
public sealed class ThinkTagParsingChatClient : DelegatingChatClient
{
    private readonly string? _provider;

    /// <summary>Initializes a new instance of the <see cref="ThinkTagParsingChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose replies are parsed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public ThinkTagParsingChatClient(IChatClient innerClient)
        : base(innerClient)
    {
        _provider = innerClient.GetService<ChatClientMetadata>()?.ProviderName;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var message in response.Messages)
        {
            if (message.Role == ChatRole.Assistant && message.Contents.OfType<TextContent>().Any())
            {
                message.Contents = Split(message.Contents);
            }
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One splitter per message: a response may hold several messages (one per choice, or a tool round inside the inner pipeline).
        var splitters = new Dictionary<string, ThinkTagSplitter>(StringComparer.Ordinal);
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            last = update;
            string key = update.MessageId ?? string.Empty;
            bool hadText = false;
            var source = update.Contents;
            List<AIContent> contents = new(source.Count);
            for (int i = 0; i < source.Count; i++) // by index: a foreach over the IList would box an enumerator per update
            {
                var content = source[i];
                if (content is TextContent text && update.Role != ChatRole.Tool)
                {
                    hadText = true;
                    if (!splitters.TryGetValue(key, out var splitter))
                    {
                        splitters[key] = splitter = new ThinkTagSplitter();
                    }

                    var produced = new List<AIContent>();
                    splitter.Process(text.Text, produced);
                    Adopt(produced, text);
                    contents.AddRange(produced);
                }
                else
                {
                    contents.Add(content);
                }
            }

            if (update.FinishReason is not null && splitters.Remove(key, out var finished))
            {
                // The reply is complete: what was held back is decided now, before the update that ends it.
                int at = contents.FindIndex(c => c is not (TextContent or TextReasoningContent));
                var flushed = new List<AIContent>();
                finished.Flush(flushed);
                Adopt(flushed, null);
                contents.InsertRange(at < 0 ? contents.Count : at, flushed);
            }

            if (hadText && contents.Count == 0 && update.FinishReason is null)
            {
                continue; // everything was held back; nothing else in this update
            }

            update.Contents = contents;
            yield return update;
        }

        foreach (var (key, splitter) in splitters)
        {
            var flushed = new List<AIContent>();
            splitter.Flush(flushed);
            if (flushed.Count > 0)
            {
                Adopt(flushed, null);
                yield return new ChatResponseUpdate(ChatRole.Assistant, flushed)
                {
                    MessageId = key.Length == 0 ? null : key,
                    ResponseId = last?.ResponseId,
                    ModelId = last?.ModelId,
                    CreatedAt = last?.CreatedAt,
                };
            }
        }
    }

    private List<AIContent> Split(IList<AIContent> contents)
    {
        var result = new List<AIContent>(contents.Count + 1);
        var splitter = new ThinkTagSplitter();
        bool started = false;
        foreach (var content in contents)
        {
            if (content is TextContent text)
            {
                var produced = new List<AIContent>();
                if (!started && !contents.OfType<TextContent>().Skip(1).Any())
                {
                    ThinkTagSplitter.SplitComplete(text.Text, produced);
                }
                else
                {
                    splitter.Process(text.Text, produced);
                }

                started = true;
                Adopt(produced, text);
                result.AddRange(produced);
            }
            else
            {
                result.Add(content);
            }
        }

        var flushed = new List<AIContent>();
        splitter.Flush(flushed);
        Adopt(flushed, null);
        int at = result.FindLastIndex(c => c is TextContent or TextReasoningContent);
        result.InsertRange(at + 1, flushed);
        return result;
    }

    /// <summary>Carries the source text's annotations and raw representation over, and tags new reasoning with the provider.</summary>
    private void Adopt(List<AIContent> produced, TextContent? source)
    {
        foreach (var content in produced)
        {
            if (source is not null)
            {
                content.RawRepresentation = source.RawRepresentation;
                if (content is TextContent && source.Annotations is { Count: > 0 } annotations)
                {
                    content.Annotations = annotations;
                }
            }
        }

        if (_provider is not null)
        {
            ReasoningProvenance.Tag(produced, _provider);
        }
    }
}
