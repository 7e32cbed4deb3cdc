namespace OpenModelClient;

/// <summary>The answer of llama.cpp's <c>/health</c>: ready, or still loading its model.</summary>
public sealed class LlamaCppHealth
{
    internal LlamaCppHealth(bool isReady, string? status, string? message)
    {
        IsReady = isReady;
        Status = status;
        Message = message;
    }

    /// <summary>Gets a value indicating whether the server has loaded its model and accepts requests.</summary>
    public bool IsReady { get; }

    /// <summary>Gets the reported status, e.g. <c>ok</c>, or the error type while loading (<c>unavailable_error</c>).</summary>
    public string? Status { get; }

    /// <summary>Gets the server's message while not ready, e.g. <c>Loading model</c>.</summary>
    public string? Message { get; }
}
