namespace Ferry.Storage.Sql.Tracking;

/// <summary>
/// The tracking tables (experiments, runs, params, metric series, tags, dataset versions, run inputs), written once
/// for both stores with the column types each needs. Migration 10 leaves room below it for registry steps being
/// written on other branches; the migrator applies steps by number, gaps and all.
/// </summary>
internal static class TrackingSchema
{
    public const int Version = 10;

    public static Migration Migration(string id, string real, string text) => new(Version, "tracking", $"""
        CREATE TABLE experiments (
            id {id},
            name {text} NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE experiment_tags (
            experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (experiment_id, key));
        CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            experiment_id BIGINT NOT NULL REFERENCES experiments (id),
            name {text} NOT NULL,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL,
            start_time BIGINT NOT NULL,
            end_time BIGINT,
            lifecycle_stage TEXT NOT NULL,
            artifact_uri TEXT NOT NULL);
        CREATE INDEX ix_runs_experiment ON runs (experiment_id, start_time);
        CREATE TABLE run_params (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE INDEX ix_run_params_key_value ON run_params (key, value);
        CREATE TABLE run_tags (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE INDEX ix_run_tags_key_value ON run_tags (key, value);
        CREATE TABLE run_metrics (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            step BIGINT NOT NULL,
            ts BIGINT NOT NULL,
            value {real} NOT NULL);
        CREATE INDEX ix_run_metrics_series ON run_metrics (run_id, key, step, ts);
        CREATE TABLE latest_metrics (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            step BIGINT NOT NULL,
            ts BIGINT NOT NULL,
            value {real} NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE INDEX ix_latest_metrics_key_value ON latest_metrics (key, value);
        CREATE TABLE dataset_versions (
            id TEXT PRIMARY KEY,
            name {text} NOT NULL,
            version BIGINT NOT NULL,
            digest TEXT NOT NULL,
            source_type TEXT NOT NULL,
            source TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            row_count BIGINT NOT NULL,
            schema_json TEXT,
            profile_json TEXT,
            created_at BIGINT NOT NULL,
            UNIQUE (name, version),
            UNIQUE (name, digest));
        CREATE TABLE run_inputs (
            run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            dataset_id TEXT NOT NULL REFERENCES dataset_versions (id),
            context TEXT NOT NULL,
            PRIMARY KEY (run_id, dataset_id));
        CREATE INDEX ix_run_inputs_dataset ON run_inputs (dataset_id);
        INSERT INTO experiments (id, name, artifact_location, lifecycle_stage, created_at, updated_at)
            VALUES (0, 'Default', 'ferry-artifacts:/0', 'active', 0, 0);
        """);
}
