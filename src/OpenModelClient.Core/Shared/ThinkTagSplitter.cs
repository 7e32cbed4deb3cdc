using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Splits a <c>&lt;think&gt;…&lt;/think&gt;</c> block at the start of assistant text into reasoning, safely across chunk boundaries.</summary>
/// <remarks>
/// Servers without a reasoning parser (llama.cpp <c>reasoning_format: none</c>, vLLM without <c>--reasoning-parser</c>, some
/// LM Studio builds) leave the block inline. Only a block that opens the reply counts; a tag later in the text is content.
/// One instance per choice of one response; not thread-safe.
/// </remarks>
internal sealed class ThinkTagSplitter
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private readonly StringBuilder _pending = new();
    private State _state;
    private bool _trimLeadingAnswerWhitespace;
    private bool _blockOpenedInPrompt;

    /// <summary>Initializes a new instance of the <see cref="ThinkTagSplitter"/> class.</summary>
    /// <param name="blockOpenedInPrompt">
    /// The chat template opened the think block in the prompt (see <see cref="ThinkBlockInPrompt"/>): the reply starts inside it, so
    /// text before a lone <c>&lt;/think&gt;</c> is reasoning, and a reply that never closes the block is reasoning throughout.
    /// </param>
    public ThinkTagSplitter(bool blockOpenedInPrompt = false)
    {
        _blockOpenedInPrompt = blockOpenedInPrompt;
    }

    private enum State
    {
        Detecting,
        InThink,
        Passthrough,
    }

    /// <summary>Feeds one piece of streamed text; appends what can already be classified to <paramref name="output"/>.</summary>
    public void Process(string text, IList<AIContent> output)
    {
        if (_state == State.Passthrough)
        {
            EmitAnswer(text, output);
            return;
        }

        if (_state == State.InThink && _pending.Length == 0 && !text.Contains('<', StringComparison.Ordinal))
        {
            // Nothing held back and no tag can start here: all of it is reasoning, without copying it through the buffer.
            EmitReasoning(text, output);
            return;
        }

        _pending.Append(text);
        if (_state == State.Detecting)
        {
            var buffered = _pending.ToString();
            var trimmed = buffered.AsSpan().TrimStart();
            if (trimmed.Length < OpenTag.Length && OpenTag.AsSpan().StartsWith(trimmed, StringComparison.Ordinal))
            {
                return; // still could be the opening tag
            }

            _pending.Clear();
            if (trimmed.StartsWith(OpenTag, StringComparison.Ordinal))
            {
                _state = State.InThink;
                _pending.Append(trimmed[OpenTag.Length..]);
            }
            else if (_blockOpenedInPrompt)
            {
                _state = State.InThink;
                _pending.Append(trimmed);
            }
            else
            {
                _state = State.Passthrough;
                EmitAnswer(buffered, output);
                return;
            }
        }

        var thinking = _pending.ToString();
        int close = thinking.IndexOf(CloseTag, StringComparison.Ordinal);
        if (close >= 0)
        {
            _pending.Clear();
            EmitReasoning(thinking[..close], output);
            _state = State.Passthrough;
            _trimLeadingAnswerWhitespace = true;
            EmitAnswer(thinking[(close + CloseTag.Length)..], output);
            return;
        }

        // Hold back a suffix that may be the start of "</think>".
        int keep = PartialSuffixLength(thinking, CloseTag);
        _pending.Clear();
        _pending.Append(thinking, thinking.Length - keep, keep);
        EmitReasoning(thinking[..^keep], output);
    }

    /// <summary>
    /// Called when the server delivered reasoning in a field of its own before any text: it parsed the think block itself, so the text
    /// is the answer even where the template opened the block in the prompt.
    /// </summary>
    public void ServerSeparatedReasoning()
    {
        if (_state == State.Detecting && _pending.Length == 0)
        {
            _blockOpenedInPrompt = false;
        }
    }

    /// <summary>Ends the text: whatever is still held back is emitted as what it most likely is.</summary>
    public void Flush(IList<AIContent> output)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        var rest = _pending.ToString();
        _pending.Clear();
        if (_state == State.InThink)
        {
            EmitReasoning(rest, output);
        }
        else
        {
            EmitAnswer(rest, output);
        }
    }

    /// <summary>Splits a complete text. Also handles templates that open the think block in the prompt, so only <c>&lt;/think&gt;</c> appears.</summary>
    /// <param name="text">The whole assistant text.</param>
    /// <param name="output">Receives the reasoning and answer contents.</param>
    /// <param name="blockOpenedInPrompt">As for the constructor: a text with no tag at all is then reasoning that never closed.</param>
    public static void SplitComplete(string text, IList<AIContent> output, bool blockOpenedInPrompt = false)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (!trimmed.StartsWith(OpenTag, StringComparison.Ordinal))
        {
            if (blockOpenedInPrompt && !text.Contains(CloseTag, StringComparison.Ordinal))
            {
                AddIfNotEmpty(output, new TextReasoningContent(text));
                return;
            }

            int close = text.IndexOf(CloseTag, StringComparison.Ordinal);
            if (close >= 0 && !text.AsSpan(0, close).Contains(OpenTag.AsSpan(), StringComparison.Ordinal))
            {
                AddIfNotEmpty(output, new TextReasoningContent(text[..close]));
                AddIfNotEmpty(output, new TextContent(text[(close + CloseTag.Length)..].TrimStart('\r', '\n')));
                return;
            }

            // No block opens the text and none closes in it: all of it is the answer (what the streaming path would emit, minus two copies).
            if (text.Length > 0)
            {
                output.Add(new TextContent(text));
            }

            return;
        }

        var splitter = new ThinkTagSplitter();
        splitter.Process(text, output);
        splitter.Flush(output);
    }

    private void EmitAnswer(string text, IList<AIContent> output)
    {
        if (_trimLeadingAnswerWhitespace)
        {
            text = text.TrimStart('\r', '\n');
            if (text.Length == 0)
            {
                return;
            }

            _trimLeadingAnswerWhitespace = false;
        }

        if (text.Length > 0)
        {
            output.Add(new TextContent(text));
        }
    }

    private static void EmitReasoning(string text, IList<AIContent> output)
    {
        if (text.Length > 0)
        {
            output.Add(new TextReasoningContent(text));
        }
    }

    private static void AddIfNotEmpty(IList<AIContent> output, AIContent content)
    {
        if (content is TextContent { Text.Length: > 0 } or TextReasoningContent { Text.Length: > 0 })
        {
            output.Add(content);
        }
    }

    private static int PartialSuffixLength(string text, string tag)
    {
        for (int length = Math.Min(tag.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(tag.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
