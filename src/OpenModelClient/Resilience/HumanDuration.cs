using System.Globalization;

namespace OpenModelClient;

/// <summary>Writes a time limit the way a person reads it in an error message: <c>300 ms</c>, <c>2 s</c>, <c>1.5 s</c>, <c>10 min</c>, <c>1 h 30 min</c>.</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan value)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return "no limit";
        }

        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalMilliseconds)} ms");
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value.TotalSeconds, 1)} s");
        }

        var parts = new List<string>(3);
        if (value.Days > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Days} d"));
        }

        if (value.Hours > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Hours} h"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Minutes} min"));
        }

        if (value.Seconds > 0 && value.Days == 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Seconds} s"));
        }

        return string.Join(' ', parts);
    }
}
