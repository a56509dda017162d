namespace Ferry.Bench;

/// <summary>A tiny <c>--name value</c> reader for the benchmark helpers.</summary>
internal static class Arguments
{
    public static string Get(string[] args, string name, string? fallback = null)
    {
        var i = Array.IndexOf(args, name);
        if (i >= 0 && i + 1 < args.Length)
        {
            return args[i + 1];
        }

        return fallback ?? throw new ArgumentException($"missing {name}");
    }

    public static int GetInt(string[] args, string name, int fallback) =>
        int.Parse(Get(args, name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}
