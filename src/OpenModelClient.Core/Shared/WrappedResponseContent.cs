using System.Net;

namespace OpenModelClient;

/// <summary>A response body that hands its reader a wrapping stream over another body: it carries the inner body's headers, and
/// copying, length and disposal all go through the wrapper, so whatever the wrapping stream enforces holds for every way of reading.</summary>
/// <remarks>A subclass overrides <see cref="HttpContent.CreateContentReadStreamAsync(CancellationToken)"/> to wrap <see cref="Inner"/>'s stream.</remarks>
internal abstract class WrappedResponseContent : HttpContent
{
    protected WrappedResponseContent(HttpContent inner)
    {
        Inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Gets the body being wrapped.</summary>
    protected HttpContent Inner { get; }

    protected sealed override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected sealed override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected sealed override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected sealed override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
