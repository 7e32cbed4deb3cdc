namespace OpenModelClient;

/// <summary>The non-standard <c>timings</c> object some servers add to a completion (llama.cpp; milliseconds).</summary>
internal sealed class ServerTimings
{
    public long? CacheN { get; set; }

    public long? PromptN { get; set; }

    public double? PromptMs { get; set; }

    public double? PromptPerSecond { get; set; }

    public long? PredictedN { get; set; }

    public double? PredictedMs { get; set; }

    public double? PredictedPerSecond { get; set; }

    public long? DraftN { get; set; }

    public long? DraftNAccepted { get; set; }
}
