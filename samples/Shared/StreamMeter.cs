// Shared by the console samples: what a user wants to know about a streamed answer, measured on the client.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenModelClient;

/// <summary>Watches a stream of updates: time to the first token, usage, and output tokens per second.</summary>
internal sealed class StreamMeter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _end;

    /// <summary>Gets the time from the request to the first text or reasoning, if any arrived.</summary>
    public TimeSpan? TimeToFirstToken { get; private set; }

    /// <summary>Gets the usage the server reported, if it did.</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Gets the output rate: the server's own measure when it reports one (llama.cpp, Ollama), else output tokens over the time since the first token.</summary>
    public double? TokensPerSecond
    {
        get
        {
            if (Usage?.AdditionalCounts?.TryGetValue(UsageCountKeys.OutputTokensPerSecond, out long rate) == true)
            {
                return rate;
            }

            var decode = _end - TimeToFirstToken;
            return Usage?.OutputTokenCount is { } output && decode > TimeSpan.Zero ? output / decode.Value.TotalSeconds : null;
        }
    }

    /// <summary>Takes note of one update; call it for every update of the stream.</summary>
    public void Observe(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } or TextReasoningContent { Text.Length: > 0 }:
                    TimeToFirstToken ??= _clock.Elapsed;
                    break;
                case UsageContent usage:
                    Usage = usage.Details;
                    break;
            }
        }

        _end = _clock.Elapsed;
    }

    /// <summary>Takes note of a whole (non-streamed) response.</summary>
    public void Observe(ChatResponse response)
    {
        _end = _clock.Elapsed;
        TimeToFirstToken ??= _end;
        Usage = response.Usage;
    }

    /// <summary>Describes the tokens, e.g. <c>29 prompt + 8 output tokens</c>.</summary>
    public string Tokens => Usage is null ? "tokens not reported"
        : string.Create(CultureInfo.InvariantCulture, $"{Usage.InputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} prompt + {Usage.OutputTokenCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} output tokens");

    /// <summary>Describes the time to first token, e.g. <c>0.42 s</c>.</summary>
    public string FirstToken => TimeToFirstToken is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s") : "–";

    /// <summary>Describes the output rate, e.g. <c>41 tokens/s</c>.</summary>
    public string Rate => TokensPerSecond is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0} tokens/s") : "–";

    /// <summary>One line for a footer: tokens, time to first token and rate.</summary>
    public override string ToString() => $"{Tokens} · first token {FirstToken} · {Rate}";
}
