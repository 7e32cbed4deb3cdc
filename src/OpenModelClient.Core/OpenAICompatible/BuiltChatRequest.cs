using System.Text.Json.Nodes;

namespace OpenModelClient;

/// <summary>A request body together with what the engine needs to know about how it was built.</summary>
/// <param name="Body">The <c>/chat/completions</c> body.</param>
/// <param name="Family">The model family whose policy was applied.</param>
/// <param name="Thinking">Whether the body switches thinking on or off; <see langword="null"/> when it leaves that to the server.</param>
/// <param name="StreamedForThinking">Whether a non-streamed call was built as a stream because the model thinks only when streamed; the engine aggregates it.</param>
internal readonly record struct BuiltChatRequest(JsonObject Body, ModelFamily Family, bool? Thinking, bool StreamedForThinking = false);
