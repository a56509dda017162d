namespace Ferry.Storage.Sql.Tracking;

/// <summary>
/// NaN metric values, as MLflow's SQL store keeps them: a flag beside a value of 0, since SQLite turns a bound NaN
/// into NULL. Readers give NaN back for flagged rows; filters never match them and sorts put them last.
/// </summary>
internal static class MetricNaNSchema
{
    public const int Version = 12;

    public static Migration Migration { get; } = new(Version, "metric NaN flag", """
        ALTER TABLE run_metrics ADD COLUMN is_nan SMALLINT NOT NULL DEFAULT 0;
        ALTER TABLE latest_metrics ADD COLUMN is_nan SMALLINT NOT NULL DEFAULT 0;
        """);

    /// <summary>The stored value column and flag for <paramref name="value"/>.</summary>
    public static (double Value, long IsNaN) Store(double value) => double.IsNaN(value) ? (0.0, 1L) : (value, 0L);

    public static double Read(System.Data.Common.DbDataReader reader, int valueOrdinal, int flagOrdinal) =>
        reader.GetInt64(flagOrdinal) != 0 ? double.NaN : reader.GetDouble(valueOrdinal);
}
