namespace WebChat;

/// <summary>The body of <c>POST /api/chat</c>: the conversation so far, and the profile to ask (none: fail over across all of them).</summary>
internal sealed record ChatRequest(string? Profile, IReadOnlyList<ChatTurn> Messages);
