using System.Globalization;

namespace Ferry.Monitoring;

/// <summary>Parses window lengths as users write them: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, or a TimeSpan (<c>01:00:00</c>).</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new FormatException($"'{text}' is not a duration; write e.g. 90s, 15m, 1h or 7d");
    }
}
