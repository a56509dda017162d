using Ferry.Storage.Sql;

namespace Ferry.Storage.Sqlite;

/// <summary>SQLite's schema steps; append new ones, never edit one that has shipped.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "registry", """
            CREATE TABLE models (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                description TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                last_version INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE model_tags (
                model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (model_id, key));
            CREATE INDEX ix_model_tags_key_value ON model_tags (key, value);
            CREATE TABLE model_versions (
                model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                blob_digest TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                signature TEXT NOT NULL,
                status TEXT NOT NULL,
                description TEXT,
                source_run_id TEXT,
                dataset_version_ids TEXT,
                created_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                PRIMARY KEY (model_id, version));
            CREATE INDEX ix_model_versions_blob ON model_versions (blob_digest);
            CREATE TABLE version_tags (
                model_id INTEGER NOT NULL,
                version INTEGER NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (model_id, version, key),
                FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE);
            CREATE INDEX ix_version_tags_key_value ON version_tags (key, value, model_id, version);
            CREATE TABLE aliases (
                model_id INTEGER NOT NULL,
                alias TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (model_id, alias),
                FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE);
            CREATE INDEX ix_aliases_alias ON aliases (alias, model_id, version);
            CREATE INDEX ix_aliases_version ON aliases (model_id, version);
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                model_name TEXT NOT NULL,
                version INTEGER,
                action TEXT NOT NULL,
                detail TEXT,
                actor TEXT NOT NULL,
                reason TEXT,
                at INTEGER NOT NULL);
            CREATE INDEX ix_audit_log_model ON audit_log (model_name, id);
            CREATE TABLE api_tokens (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER);
            """),
        Sql.Tracking.TrackingSchema.Migration("INTEGER PRIMARY KEY", "REAL", "TEXT"),
        Sql.Tracking.RunArtifactSchema.Migration("TEXT"),
        Sql.Tracking.MetricNaNSchema.Migration,
        Sql.Delivery.DeliverySchema.Migration("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT"),
    ];
}
