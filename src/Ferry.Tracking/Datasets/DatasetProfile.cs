namespace Ferry.Tracking.Datasets;

/// <summary>
/// What a dataset version looks like, column by column: the reference that drift detection compares live traffic
/// with. Stored as JSON (snake_case) with the version.
/// </summary>
public sealed record DatasetProfile
{
    public required long RowCount { get; init; }

    public required IReadOnlyList<ColumnProfile> Columns { get; init; }
}
