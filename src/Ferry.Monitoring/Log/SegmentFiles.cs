using System.Globalization;

namespace Ferry.Monitoring.Log;

/// <summary>
/// Names on disk. A sealed segment is <c>MODEL/VERSION/FIRSTMS-LASTMS-ID.parquet</c>, so a time-range query skips
/// segments without opening them; an open one is <c>ID.parquet.tmp</c>, which readers of sealed data ignore.
/// </summary>
public static class SegmentFiles
{
    public const string SealedExtension = ".parquet";
    public const string OpenExtension = ".parquet.tmp";
    public const string CorruptExtension = ".parquet.corrupt";

    public static string Folder(string root, string model, string version) => Path.Combine(root, model, version);

    public static string OpenName(string folder) => Path.Combine(folder, Guid.NewGuid().ToString("N") + OpenExtension);

    public static string SealedName(string folder, long firstMs, long lastMs) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{firstMs}-{lastMs}-{Guid.NewGuid():N}{SealedExtension}"));

    /// <summary>The time range a sealed segment's name states, or false for a file that is not one.</summary>
    public static bool TryParseRange(string path, out long firstMs, out long lastMs)
    {
        firstMs = lastMs = 0;
        var name = Path.GetFileName(path);
        if (!name.EndsWith(SealedExtension, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = name[..^SealedExtension.Length].Split('-');
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out firstMs)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out lastMs);
    }
}
