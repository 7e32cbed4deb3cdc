using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Records the server-reported timings found in usage (llama.cpp <c>timings</c>, Ollama durations) as metrics, and prompt-cache writes
/// on the chat span (<see cref="CacheUsageSpanTags"/>); passes everything through unchanged.</summary>
internal sealed class ServerTimingsMetricsChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    private readonly ChatClientMetadata? _metadata = innerClient.GetService<ChatClientMetadata>();

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        OpenModelMetrics.RecordUsage(_metadata, response.ModelId, response.Usage);
        CacheUsageSpanTags.Add(response.Usage);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken);

        // Decided once per call: with nothing listening to the usage metrics or recording the span, the stream passes through without another iterator
        // per update (a listener that starts mid-stream sees the next stream's timings).
        return OpenModelMetrics.RecordsUsage || CacheUsageSpanTags.IsRecording ? RecordUsageAsync(updates, cancellationToken) : updates;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RecordUsageAsync(IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // By index: a foreach over the IList would box an enumerator for every update.
            var contents = update.Contents;
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is UsageContent usage)
                {
                    OpenModelMetrics.RecordUsage(_metadata, update.ModelId, usage.Details);
                    CacheUsageSpanTags.Add(usage.Details);
                }
            }

            yield return update;
        }
    }
}
