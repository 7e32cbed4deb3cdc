using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OpenModelClient;

/// <summary>Parses one line without the serializer; <see langword="false"/> hands it to the serializer.</summary>
internal delegate bool LineParser<T>(ReadOnlySpan<byte> line, out T? value)
    where T : class;

/// <summary>Reads Ollama's bodies and NDJSON lines (through the shared <see cref="JsonLinesReader"/>) into wire objects, turning every failure into the typed errors.</summary>
internal static class OllamaWire
{
    /// <summary>Reads and parses the next line (through the fast path first, if given); <see langword="null"/> at the end of the stream.</summary>
    /// <exception cref="OpenModelProtocolException">The connection broke, or a line is not the expected JSON; a last line cut mid-object counts as truncation.</exception>
    public static ValueTask<T?> ReadAsync<T>(JsonLinesReader reader, JsonTypeInfo<T> typeInfo, HttpStatusCode status, string? requestId, CancellationToken cancellationToken, LineParser<T>? fastPath = null)
        where T : class
    {
        // A line already in the buffer (dozens per network read on a fast stream) is parsed without an async state machine.
        return reader.TryReadBufferedLine()
            ? new(ParseCurrent(reader, typeInfo, status, requestId, fastPath))
            : ReadFromNetworkAsync(reader, typeInfo, status, requestId, fastPath, cancellationToken);
    }

    private static async ValueTask<T?> ReadFromNetworkAsync<T>(JsonLinesReader reader, JsonTypeInfo<T> typeInfo, HttpStatusCode status, string? requestId, LineParser<T>? fastPath, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            if (!await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // A read aborted by the caller's token is a cancellation, never a protocol error.
            cancellationToken.ThrowIfCancellationRequested();
            throw new OpenModelProtocolException(ProviderNames.Ollama, status, $"the stream broke before 'done' ({e.Message})", isTruncated: true, requestId: requestId, innerException: e);
        }
        catch (InvalidDataException e)
        {
            throw new OpenModelProtocolException(ProviderNames.Ollama, status, e.Message, requestId: requestId, innerException: e);
        }

        return ParseCurrent(reader, typeInfo, status, requestId, fastPath);
    }

    private static T ParseCurrent<T>(JsonLinesReader reader, JsonTypeInfo<T> typeInfo, HttpStatusCode status, string? requestId, LineParser<T>? fastPath)
        where T : class
    {
        try
        {
            if (fastPath is not null && fastPath(reader.Current.Span, out var line))
            {
                return line!;
            }

            return JsonSerializer.Deserialize(reader.Current.Span, typeInfo)
                ?? throw new OpenModelProtocolException(ProviderNames.Ollama, status, $"NDJSON line {reader.LineCount} is JSON null", requestId: requestId);
        }
        catch (JsonException e)
        {
            bool cut = !reader.IsCurrentLineTerminated;
            string what = cut ? "the stream ended inside a line" : $"NDJSON line {reader.LineCount} is not a valid object";
            throw new OpenModelProtocolException(ProviderNames.Ollama, status, what, ReceivedText.Prefix(reader.Current.Span), isTruncated: cut, requestId: requestId, innerException: e);
        }
    }

    /// <summary>Parses a whole JSON body.</summary>
    /// <exception cref="OpenModelProtocolException">The body is not the expected JSON.</exception>
    public static T ParseBody<T>(byte[] bytes, JsonTypeInfo<T> typeInfo, HttpStatusCode status, HttpResponseHeaders headers, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo)
                ?? throw new OpenModelProtocolException(ProviderNames.Ollama, status, $"{what} answered JSON null", requestId: ProviderErrorMapper.GetRequestId(headers));
        }
        catch (JsonException e)
        {
            throw new OpenModelProtocolException(ProviderNames.Ollama, status, $"{what} did not answer valid JSON", ReceivedText.Prefix(bytes), requestId: ProviderErrorMapper.GetRequestId(headers), innerException: e);
        }
    }
}
