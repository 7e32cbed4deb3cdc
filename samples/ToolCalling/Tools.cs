using System.ComponentModel;
using System.Globalization;

/// <summary>The two tools the model may call. Descriptions are what the model reads to decide when and how to call them.</summary>
internal static class Tools
{
    // Each unit as a factor to its dimension's base unit (metre, kilogram, litre); temperatures are handled apart.
    private static readonly Dictionary<string, (string Dimension, double Factor)> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        ["m"] = ("length", 1), ["km"] = ("length", 1000), ["cm"] = ("length", 0.01), ["mi"] = ("length", 1609.344),
        ["ft"] = ("length", 0.3048), ["in"] = ("length", 0.0254), ["yd"] = ("length", 0.9144),
        ["kg"] = ("mass", 1), ["g"] = ("mass", 0.001), ["lb"] = ("mass", 0.45359237), ["oz"] = ("mass", 0.028349523125),
        ["l"] = ("volume", 1), ["ml"] = ("volume", 0.001), ["gal"] = ("volume", 3.785411784),
    };

    [Description("Gets the current date and time in UTC, in ISO 8601.")]
    public static string GetUtcTime() => TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Description("Converts a value between units: m, km, cm, mi, ft, in, yd; kg, g, lb, oz; l, ml, gal (US); C, F, K.")]
    public static string ConvertUnits(
        [Description("The value to convert.")] double value,
        [Description("The unit of the value, e.g. km.")] string from,
        [Description("The unit to convert to, e.g. mi.")] string to)
    {
        double result;
        if (Temperature(from) is { } fromTemperature && Temperature(to) is { } toTemperature)
        {
            result = toTemperature.FromKelvin(fromTemperature.ToKelvin(value));
        }
        else if (Units.TryGetValue(from, out var source) && Units.TryGetValue(to, out var target) && source.Dimension == target.Dimension)
        {
            result = value * source.Factor / target.Factor;
        }
        else
        {
            return $"Cannot convert {from} to {to}. Supported: {string.Join(", ", Units.Keys)}, C, F, K (within one dimension).";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(result, 3)} {to}");
    }

    private static (Func<double, double> ToKelvin, Func<double, double> FromKelvin)? Temperature(string unit) => unit.ToUpperInvariant() switch
    {
        "C" => (c => c + 273.15, k => k - 273.15),
        "F" => (f => ((f - 32) * 5 / 9) + 273.15, k => ((k - 273.15) * 9 / 5) + 32),
        "K" => (k => k, k => k),
        _ => null,
    };
}
