namespace OpenModelClient;

/// <summary>llama.cpp's non-standard <c>timings</c> object (milliseconds).</summary>
internal sealed class LlamaCppTimings
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
