using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.TestDoubles;

/// <summary>An inner <see cref="IChatClient"/> for decorator tests: returns scripted responses and updates, reports a provider name.</summary>
internal sealed class ScriptedChatClient(string? providerName = "scripted") : IChatClient
{
    public Func<ChatResponse>? Response { get; init; }

    public IReadOnlyList<ChatResponseUpdate> Updates { get; init; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Response!());

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in Updates)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) && providerName is not null ? new ChatClientMetadata(providerName) :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
