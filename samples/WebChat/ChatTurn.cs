namespace WebChat;

/// <summary>One message of the conversation as the page sends it: <c>user</c> or <c>assistant</c>, and its text.</summary>
internal sealed record ChatTurn(string Role, string Text);
