namespace Ferry.Storage.Sql.Tracking;

/// <summary>
/// Run artifacts: a path inside a run mapped to a blob by digest. The bytes live in the blob store, so an artifact
/// registered as a model version is stored once, and the registry counts these rows before it deletes a blob.
/// </summary>
internal static class RunArtifactSchema
{
    public const int Version = 11;

    public static Migration Migration(string text) => new(Version, "run artifacts", $"""
        CREATE TABLE run_artifacts (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            path {text} NOT NULL,
            blob_digest TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (run_id, path));
        CREATE INDEX ix_run_artifacts_digest ON run_artifacts (blob_digest);
        """);
}
