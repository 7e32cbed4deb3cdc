using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelClient;

/// <summary>One <c>/api/chat</c> NDJSON line, or the whole non-streamed body. Metrics and <c>done_reason</c> only on the <c>done:true</c> object.</summary>
internal sealed class OllamaChatResponse : IReusableWireObject
{
    public string? Model { get; set; }

    [JsonConverter(typeof(OllamaTimestampConverter))]
    public DateTimeOffset? CreatedAt { get; set; }

    public OllamaMessage? Message { get; set; }

    public bool Done { get; set; }

    public string? DoneReason { get; set; }

    public long? TotalDuration { get; set; }

    public long? LoadDuration { get; set; }

    public long? PromptEvalCount { get; set; }

    public long? PromptEvalDuration { get; set; }

    public long? EvalCount { get; set; }

    public long? EvalDuration { get; set; }

    /// <summary>Present when <c>logprobs:true</c> was requested: an array of <c>{token,logprob,bytes,top_logprobs}</c>.</summary>
    public JsonElement? Logprobs { get; set; }

    /// <summary>An <c>{"error":"…"}</c> line inside a 200 stream (how Ollama reports a failure after it started streaming); checked before anything else.</summary>
    public JsonElement? Error { get; set; }

    /// <inheritdoc />
    public void Reset()
    {
        Model = null;
        CreatedAt = null;
        Message = null;
        Done = false;
        DoneReason = null;
        TotalDuration = null;
        LoadDuration = null;
        PromptEvalCount = null;
        PromptEvalDuration = null;
        EvalCount = null;
        EvalDuration = null;
        Logprobs = null;
        Error = null;
    }
}
