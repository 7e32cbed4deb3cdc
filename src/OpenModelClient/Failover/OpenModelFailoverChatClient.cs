using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenModelClient;

/// <summary>Tries an ordered list of chat clients — e.g. a local llama.cpp first, hosted DeepSeek next — moving on only while no output has been produced.</summary>
/// <remarks>
/// Moves on when a client cannot be reached, times out before its first chunk, is overloaded or rate limited (an open circuit
/// breaker included), fails on the server, lacks the model, cannot fit the prompt, or lacks the feature. Invalid requests,
/// authentication failures and content filtering surface at once: they would fail again elsewhere or hide a configuration error.
/// Once a streamed response has yielded its first update, a failure propagates: output is never spliced from two models.
/// The clients are owned by the caller (the DI container for configured clients) and are not disposed here.
/// (Microsoft.Extensions.AI 10.11 has a <c>FailoverChatClient</c> template, but it is marked experimental, MEAI001,
/// so a stable public type does not build on it.)
/// </remarks>
public sealed partial class OpenModelFailoverChatClient : IChatClient
{
    private readonly IReadOnlyList<IChatClient> _clients;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="OpenModelFailoverChatClient"/> class.</summary>
    /// <param name="clients">The clients in order of preference; at least one.</param>
    /// <param name="logger">Where to log each switch; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clients"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="clients"/> is empty.</exception>
    public OpenModelFailoverChatClient(IEnumerable<IChatClient> clients, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = [.. clients];
        if (_clients.Count == 0)
        {
            throw new ArgumentException("A failover chain needs at least one client.", nameof(clients));
        }

        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the clients in the order they are tried.</summary>
    public IReadOnlyList<IChatClient> Clients => _clients;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (int i = 0; ; i++)
        {
            try
            {
                return await _clients[i].GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (i < _clients.Count - 1 && !cancellationToken.IsCancellationRequested && ShouldFailOver(e))
            {
                RecordSwitch(i, e);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (int i = 0; ; i++)
        {
            var enumerator = _clients[i].GetStreamingResponseAsync(history, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool hasFirst;
            try
            {
                hasFirst = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (i < _clients.Count - 1 && !cancellationToken.IsCancellationRequested && ShouldFailOver(e))
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
                RecordSwitch(i, e);
                continue;
            }

            // Output has started (or the stream is empty): from here on this client's outcome is the caller's.
            await using (enumerator.ConfigureAwait(false))
            {
                if (!hasFirst)
                {
                    yield break;
                }

                yield return enumerator.Current;
                while (await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield return enumerator.Current;
                }
            }

            yield break;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _clients[0].GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The chained clients belong to their creator.
    }

    internal static bool ShouldFailOver(Exception exception) => exception switch
    {
        OpenModelException e => e.Kind is OpenModelErrorKind.ServerOverloaded or OpenModelErrorKind.RateLimited or OpenModelErrorKind.ServerError
            or OpenModelErrorKind.Timeout or OpenModelErrorKind.ModelNotFound or OpenModelErrorKind.ContextLengthExceeded or OpenModelErrorKind.NotSupported
            or OpenModelErrorKind.Protocol or OpenModelErrorKind.InsufficientBalance or OpenModelErrorKind.QueueFull,
        HttpRequestException e => e.StatusCode is null or HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout,
        TimeoutException or IOException => true,
        _ => false,
    };

    private void RecordSwitch(int from, Exception exception)
    {
        string? fromProvider = _clients[from].GetService<ChatClientMetadata>()?.ProviderName;
        string? toProvider = _clients[from + 1].GetService<ChatClientMetadata>()?.ProviderName;
        OpenModelMetrics.RecordFailover(fromProvider, toProvider);
        LogFailover(_logger, fromProvider ?? $"client {from}", toProvider ?? $"client {from + 1}", exception.GetType().Name, exception.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failing over from {From} to {To} before any output: {ExceptionType}: {Reason}")]
    private static partial void LogFailover(ILogger logger, string from, string to, string exceptionType, string reason);
}
