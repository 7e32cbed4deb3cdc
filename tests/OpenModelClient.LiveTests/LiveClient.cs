using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OpenModelClient.LiveTests;

/// <summary>A chat client (and embedding generator) under test, with whatever owns them (a service provider for configured clients).</summary>
public sealed class LiveClient(IChatClient chat, IEmbeddingGenerator<string, Embedding<float>>? embeddings, IAsyncDisposable? owner) : IAsyncDisposable
{
    /// <summary>Gets the chat client.</summary>
    public IChatClient Chat { get; } = chat;

    /// <summary>Gets the embedding generator, or <see langword="null"/>.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; } = embeddings;

    /// <summary>Builds the clients as an application does: <c>AddOpenModelChatClient</c> (and the embedding generator) over an <c>OpenModel</c> section.</summary>
    /// <param name="settings">The keys under <c>OpenModel</c>; null values are left out.</param>
    /// <param name="embeddings">Whether to build the embedding generator too.</param>
    public static LiveClient Configured(IDictionary<string, string?> settings, bool embeddings)
    {
        var values = settings.Where(kv => kv.Value is not null).ToDictionary(kv => "OpenModel:" + kv.Key, kv => kv.Value);
        values["OpenModel:Retry:BaseDelay"] = "00:00:00.050";
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("OpenModel");
        var services = new ServiceCollection();
        services.AddOpenModelChatClient(section);
        if (embeddings)
        {
            services.AddOpenModelEmbeddingGenerator(section);
        }

        var provider = services.BuildServiceProvider();
        return new LiveClient(provider.GetRequiredService<IChatClient>(), embeddings ? provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>() : null, provider);
    }

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
