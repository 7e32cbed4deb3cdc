using System.Globalization;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The affinity key of the call in progress: a stable hash of its conversation's prefix (the system messages and the
/// first user message), carried from the chat pipeline to the HTTP handlers of the same call.</summary>
internal static class AffinityKey
{
    private static readonly AsyncLocal<string?> CurrentKey = new();

    public static string? Current
    {
        get => CurrentKey.Value;
        set => CurrentKey.Value = value;
    }

    /// <summary>The key of a conversation: every later turn of it has the same one. FNV-1a (64-bit), stable across processes, so a
    /// gateway sees the same key from every instance of an application.</summary>
    public static string? Compute(IEnumerable<ChatMessage> messages)
    {
        ulong hash = 14695981039346656037UL;
        bool any = false;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System || message.Role == ChatRole.User)
            {
                hash = Add(hash, message.Role.Value);
                hash = Add(hash, message.Text);
                any = true;
            }

            if (message.Role == ChatRole.User)
            {
                break;
            }
        }

        return any ? hash.ToString("x16", CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A replica's score for a key (rendezvous hashing): the replica with the highest score is the key's preferred one.</summary>
    public static ulong Score(string key, string replica) => Mix(Add(Add(14695981039346656037UL, key), replica));

    private static ulong Add(ulong hash, string text)
    {
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (hash ^ 0xFF) * 1099511628211UL; // a separator, so that ("ab", "c") and ("a", "bc") differ
    }

    private static ulong Mix(ulong x)
    {
        // The finaliser of SplitMix64: FNV's low bits alone spread poorly over a few replicas.
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
