using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Marks where a server's explicit prompt cache should end: everything up to and including the marked text is cached.</summary>
/// <remarks>
/// <para>Model Studio (Qwen, OpenAI-compatible mode) caches a prefix explicitly when a content part carries
/// <c>"cache_control": {"type": "ephemeral"}</c>: at most <see cref="MaxBreakpoints"/> marks per request, and a cached prefix must be at
/// least 1,024 tokens (shorter ones are simply not cached). Later requests that repeat the prefix report the hit in
/// <c>UsageDetails.CachedInputTokenCount</c>, and the request that wrote it in
/// <c>UsageDetails.AdditionalCounts[UsageCountKeys.CacheCreationInputTokens]</c>. See
/// https://www.alibabacloud.com/help/en/model-studio/context-cache.</para>
/// <para>Clients whose server takes no such marks (llama.cpp, Ollama, vLLM, DeepSeek, whose caches are automatic) leave them out. llama.cpp
/// keeps each slot's prefix by itself (<c>cache_prompt</c>, on by default; <c>id_slot</c> pins a conversation to a slot).</para>
/// </remarks>
public static class PromptCacheBreakpoint
{
    /// <summary>The most breakpoints one request may carry; a request with more fails before it is sent.</summary>
    public const int MaxBreakpoints = 4;

    /// <summary>The <c>AdditionalProperties</c> key of the mark, as the wire names it.</summary>
    public const string Key = "cache_control";

    /// <summary>Marks a text content as the end of a cached prefix.</summary>
    /// <typeparam name="TContent">The content type.</typeparam>
    /// <param name="content">The content; a <see cref="TextContent"/> for the mark to be sent.</param>
    /// <returns>The same content, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    public static TContent WithCacheBreakpoint<TContent>(this TContent content)
        where TContent : AIContent
    {
        ArgumentNullException.ThrowIfNull(content);
        (content.AdditionalProperties ??= [])[Key] = "ephemeral";
        return content;
    }

    /// <summary>Marks a message's last text as the end of a cached prefix.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The same message, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static ChatMessage WithCacheBreakpoint(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (message.AdditionalProperties ??= [])[Key] = "ephemeral";
        return message;
    }

    /// <summary>Reads a mark: the cache type as a string (<c>"ephemeral"</c>), or the wire object itself.</summary>
    internal static JsonObject? Read(AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(Key, out var value) is not true)
        {
            return null;
        }

        return value switch
        {
            string type when !string.IsNullOrWhiteSpace(type) => new JsonObject { ["type"] = type },
            JsonObject node => (JsonObject)node.DeepClone(),
            JsonElement { ValueKind: JsonValueKind.Object } element => JsonObject.Create(element),
            JsonElement { ValueKind: JsonValueKind.String } element when element.GetString() is { Length: > 0 } type => new JsonObject { ["type"] = type },
            _ => throw new ArgumentException($"AdditionalProperties[\"{Key}\"] must be a cache type such as \"ephemeral\" or a JSON object like {{\"type\":\"ephemeral\"}}; set it with WithCacheBreakpoint()."),
        };
    }

    internal static void ThrowIfTooMany(int count, string provider)
    {
        if (count > MaxBreakpoints)
        {
            throw new ArgumentException($"{provider}: the request carries {count} prompt-cache breakpoints; at most {MaxBreakpoints} are accepted. Mark only the ends of the longest stable prefixes.");
        }
    }
}
