using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>llama.cpp's resumable streams: a streamed request that carries <c>X-Conversation-Id</c> keeps generating after its
/// connection drops, and <c>GET /v1/stream?conv_id=ID&amp;from=N</c> replays its bytes from offset <c>N</c> and follows the rest.</summary>
/// <remarks>
/// The server answers the replay with 404 when it has no such session (never started, expired, or deleted) and with 400 when the
/// offset is older than the part of the stream it still keeps; either way the stream cannot be resumed.
/// </remarks>
internal sealed class LlamaCppStreamResumption(Uri root, ModelHttpTransport transport) : ChatStreamResumption
{
    /// <summary>The request header that makes llama.cpp keep a stream for replay.</summary>
    public const string ConversationIdHeader = "X-Conversation-Id";

    private const string TokenPrefix = "llama.cpp-stream/1 ";

    public override ResumableChatStream Begin(HttpRequestMessage request)
    {
        var session = new LlamaCppStreamSession(root, transport, "omc-" + Guid.NewGuid().ToString("N"));
        request.Headers.TryAddWithoutValidation(ConversationIdHeader, session.ConversationId);
        return session;
    }

    public override bool TryRestore(ResponseContinuationToken token, out ResumableChatStream? session, out int updatesDelivered)
    {
        ArgumentNullException.ThrowIfNull(token);
        session = null;
        updatesDelivered = 0;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(token.ToBytes().Span);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!text.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[TokenPrefix.Length..].Split(' ');
        if (parts.Length != 2 || parts[0].Length is 0 or > 200 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out updatesDelivered))
        {
            return false;
        }

        session = new LlamaCppStreamSession(root, transport, parts[0]);
        return true;
    }

    internal static ResponseContinuationToken CreateToken(string conversationId, int updatesDelivered) =>
        ResponseContinuationToken.FromBytes(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TokenPrefix}{conversationId} {updatesDelivered}")));
}
