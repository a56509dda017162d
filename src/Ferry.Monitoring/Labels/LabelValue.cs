using System.Globalization;

namespace Ferry.Monitoring.Labels;

/// <summary>A label or a prediction as compared: a number, or text. <see cref="Key"/> makes 1, 1.0 and "1" the same class.</summary>
public readonly record struct LabelValue(double? Number, string? Text)
{
    public string Key => Text ?? Number?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    public bool IsIntegral => Text is null && Number is { } n && Math.Abs(n - Math.Round(n)) < 1e-9;

    public static LabelValue Of(object? value) => value switch
    {
        null => default,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => new LabelValue(d, null),
        string s => new LabelValue(null, s),
        bool b => new LabelValue(b ? 1 : 0, null),
        IConvertible c => new LabelValue(c.ToDouble(CultureInfo.InvariantCulture), null),
        _ => new LabelValue(null, value.ToString()),
    };

    public bool IsEmpty => Number is null && Text is null;
}
