namespace OpenModelClient;

/// <summary>One generated token with its log probability and the most likely alternatives at that position.</summary>
/// <remarks>
/// The same shape from every server that reports log probabilities: OpenAI-compatible <c>logprobs.content</c> (llama.cpp, vLLM,
/// SGLang, DeepSeek, Qwen) and Ollama's native <c>logprobs</c>. Read it with <see cref="LogprobsExtensions"/>.
/// </remarks>
public sealed class TokenLogprob
{
    /// <summary>Initializes a new instance of the <see cref="TokenLogprob"/> class.</summary>
    /// <param name="token">The token's text.</param>
    /// <param name="logprob">The natural logarithm of the token's probability.</param>
    /// <param name="bytes">The token's UTF-8 bytes, when the server reports them (a token may be part of a multi-byte character).</param>
    /// <param name="topLogprobs">The most likely tokens at this position, most likely first; empty when not requested.</param>
    public TokenLogprob(string token, double logprob, IReadOnlyList<byte>? bytes = null, IReadOnlyList<TokenLogprob>? topLogprobs = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        Token = token;
        Logprob = logprob;
        Bytes = bytes;
        TopLogprobs = topLogprobs ?? [];
    }

    /// <summary>Gets the token's text.</summary>
    public string Token { get; }

    /// <summary>Gets the natural logarithm of the token's probability (0 is certain; more negative is less likely).</summary>
    public double Logprob { get; }

    /// <summary>Gets the token's UTF-8 bytes, or <see langword="null"/> when the server did not send them.</summary>
    public IReadOnlyList<byte>? Bytes { get; }

    /// <summary>Gets the most likely tokens at this position, most likely first; empty when the request asked for none.</summary>
    public IReadOnlyList<TokenLogprob> TopLogprobs { get; }
}
