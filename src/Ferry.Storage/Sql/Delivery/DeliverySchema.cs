namespace Ferry.Storage.Sql.Delivery;

/// <summary>
/// The delivery tables, written once for both stores. Migration 20 is the first of the numbers kept for delivery
/// (20-29). The deployment's spec and state are one JSON document: it changes shape as strategies grow, and it is
/// always read and written whole.
/// </summary>
internal static class DeliverySchema
{
    public const int Version = 20;

    public static Migration Migration(string id, string text) => new(Version, "delivery", $"""
        CREATE TABLE deployments (
            name {text} PRIMARY KEY,
            model {text} NOT NULL,
            document TEXT NOT NULL,
            revision BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE INDEX ix_deployments_model ON deployments (model);
        CREATE TABLE deployment_events (
            id {id},
            deployment {text} NOT NULL,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            detail TEXT,
            actor TEXT NOT NULL,
            at BIGINT NOT NULL);
        CREATE INDEX ix_deployment_events_deployment ON deployment_events (deployment, id);
        """);
}
