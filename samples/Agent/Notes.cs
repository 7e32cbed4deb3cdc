using System.ComponentModel;
using System.Globalization;

/// <summary>The agent's tools: a notebook it can write to and read back, and the clock. Descriptions are what the model reads.</summary>
internal sealed class Notes(TimeProvider clock)
{
    private readonly List<string> _notes = [];

    /// <summary>Gets what the agent has written down, in order.</summary>
    public IReadOnlyList<string> All => _notes;

    [Description("Writes a short note to remember for later in this session. Returns how many notes there are.")]
    public string Remember([Description("The note, one short sentence.")] string note)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return "Nothing to remember: the note was empty.";
        }

        _notes.Add(note.Trim());
        return string.Create(CultureInfo.InvariantCulture, $"Remembered. {_notes.Count} note(s) so far.");
    }

    [Description("Reads back every note written so far in this session, one per line.")]
    public string Recall() => _notes.Count == 0 ? "No notes yet." : string.Join('\n', _notes.Select((n, i) => $"{i + 1}. {n}"));

    [Description("Gets the current date and time in UTC, in ISO 8601.")]
    public string GetUtcTime() => clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
