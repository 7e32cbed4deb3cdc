using System.Globalization;

namespace OpenModelClient;

/// <summary>One progress record of <c>/api/pull</c>: a status, and for layer downloads the digest and byte counts.</summary>
public sealed class OllamaPullProgress
{
    /// <summary>Initializes a new instance of the <see cref="OllamaPullProgress"/> class.</summary>
    /// <param name="status">The server's status text, e.g. <c>pulling manifest</c>, <c>pulling &lt;digest&gt;</c>, <c>success</c>.</param>
    /// <param name="digest">The layer being downloaded, if any.</param>
    /// <param name="total">The layer's size in bytes, if known.</param>
    /// <param name="completed">The bytes of the layer downloaded so far, if reported.</param>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> is <see langword="null"/>.</exception>
    public OllamaPullProgress(string status, string? digest = null, long? total = null, long? completed = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
        Digest = digest;
        Total = total;
        Completed = completed;
    }

    /// <summary>Gets the server's status text.</summary>
    public string Status { get; }

    /// <summary>Gets the digest of the layer being downloaded, if any.</summary>
    public string? Digest { get; }

    /// <summary>Gets the layer's size in bytes, if known.</summary>
    public long? Total { get; }

    /// <summary>Gets the bytes of the layer downloaded so far; missing until some bytes have arrived.</summary>
    public long? Completed { get; }

    /// <summary>Gets the fraction of the layer downloaded, from 0 to 1, when both counts are known.</summary>
    public double? Fraction => Total is { } total and > 0 ? Math.Clamp((double)(Completed ?? 0) / total, 0, 1) : null;

    /// <summary>Gets a value indicating whether this is the final <c>success</c> record.</summary>
    public bool IsSuccess => Status == "success";

    /// <inheritdoc />
    public override string ToString() => Fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{Status} {f:P0}") : Status;
}
