using System.Globalization;

namespace Ferry.Batch;

/// <summary>
/// Which share of the work units a process takes: unit <c>(file, chunk)</c> belongs to shard
/// <c>(file + chunk) mod Count</c>. Files are taken in ordinal name order, so every shard agrees on the numbering.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Single { get; } = new(0, 1);

    public bool IsSingle => Count == 1;

    public bool Owns(int fileIndex, int chunkIndex) => (fileIndex + chunkIndex) % Count == Index;

    /// <summary>Parses <c>i/N</c> with 0 ≤ i &lt; N.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index >= count)
        {
            throw new BatchUsageException($"--shard must be i/N with 0 <= i < N, not '{text}'");
        }

        return new ShardSpec(index, count);
    }

    public override string ToString() => FormattableString.Invariant($"{Index}/{Count}");
}
