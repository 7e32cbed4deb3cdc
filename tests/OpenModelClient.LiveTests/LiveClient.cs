using Microsoft.Extensions.AI;

namespace OpenModelClient.LiveTests;

/// <summary>A chat client (and embedding generator) under test, with whatever owns them (a service provider for configured clients).</summary>
public sealed class LiveClient(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>>? embeddings, IAsyncDisposable? owner) : IAsyncDisposable
{
    /// <summary>Gets the chat client.</summary>
    public IChatClient Chat { get; } = chat;

    /// <summary>Gets the embedding generator, or <see langword="null"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; } = embeddings;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (owner is not null)
        {
            await owner.DisposeAsync();
        }
        else
        {
            Chat.Dispose();
            Embeddings?.Dispose();
        }
    }
}
