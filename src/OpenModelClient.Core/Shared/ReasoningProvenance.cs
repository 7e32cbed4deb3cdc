using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Records which provider produced a <see cref="TextReasoningContent"/>, so that reasoning is never replayed into another provider.</summary>
/// <remarks>
/// Every client in this library tags the reasoning it returns with its provider name (<c>ChatClientMetadata.ProviderName</c>) under
/// <see cref="ProviderKey"/> in <see cref="AIContent.AdditionalProperties"/>, which survives JSON serialisation of a chat history.
/// When history is sent, reasoning tagged with another provider is dropped, as is untagged reasoning that carries
/// <see cref="TextReasoningContent.ProtectedData"/> (an opaque blob only its issuer can read). Untagged plain reasoning is treated as
/// the caller's own and follows the receiving provider's history rule.
/// </remarks>
public static class ReasoningProvenance
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key under which the producing provider's name is stored.</summary>
    public const string ProviderKey = "openmodel.reasoning_provider";

    /// <summary>Gets the name of the provider that produced <paramref name="content"/>, or <see langword="null"/> when it is not tagged.</summary>
    /// <param name="content">The reasoning content.</param>
    /// <returns>The provider name, e.g. <c>deepseek</c>, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    public static string? GetProvider(TextReasoningContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.AdditionalProperties?.TryGetValue(ProviderKey, out object? value) is true ? value?.ToString() : null;
    }

    /// <summary>Tags the reasoning in <paramref name="contents"/> that has no tag yet.</summary>
    internal static void Tag(IEnumerable<AIContent> contents, string provider)
    {
        foreach (var content in contents)
        {
            if (content is TextReasoningContent reasoning && GetProvider(reasoning) is null)
            {
                (reasoning.AdditionalProperties ??= [])[ProviderKey] = provider;
            }
        }
    }

    /// <summary>The same for a list, without an enumerator: called for every streamed update.</summary>
    internal static void Tag(List<AIContent> contents, string provider)
    {
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextReasoningContent reasoning && GetProvider(reasoning) is null)
            {
                (reasoning.AdditionalProperties ??= [])[ProviderKey] = provider;
            }
        }
    }

    internal static void Tag(ChatResponse response, string provider)
    {
        foreach (var message in response.Messages)
        {
            Tag(message.Contents, provider);
        }
    }

    /// <summary>Whether <paramref name="content"/> must not be sent to <paramref name="provider"/>.</summary>
    internal static bool IsForeign(TextReasoningContent content, string provider) =>
        GetProvider(content) is { } producer
            ? !string.Equals(producer, provider, StringComparison.OrdinalIgnoreCase)
            : content.ProtectedData is not null;
}
