using System.Data.Common;
using Ferry.Storage.Delivery;

namespace Ferry.Storage.Sql.Delivery;

/// <summary><see cref="IDeploymentStore"/> over the shared SQL core; each write is one transaction.</summary>
internal sealed class SqlDeploymentStore(SqlMetadataStore store) : IDeploymentStore
{
    private const string Columns = "name, model, document, revision, created_at, updated_at";
    private const string EventColumns = "id, deployment, kind, message, detail, actor, at";

    public async Task<DeploymentRecord> CreateAsync(DeploymentRecord deployment, IReadOnlyList<DeploymentEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await store.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var created = deployment with { Revision = 1, UpdatedAt = deployment.CreatedAt };
        await using (var insert = Db.Command(connection, transaction,
            $"INSERT INTO deployments ({Columns}) VALUES (@name, @model, @doc, 1, @at, @at) ON CONFLICT (name) DO NOTHING")
            .With("@name", deployment.Name).With("@model", deployment.Model).With("@doc", deployment.Document)
            .With("@at", Db.ToUnixMs(deployment.CreatedAt)))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new FerryException(ErrorCode.AlreadyExists, $"deployment '{deployment.Name}' already exists");
            }
        }

        await AppendAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    public async Task<DeploymentRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {Columns} FROM deployments WHERE name = @name").With("@name", name);
        var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<DeploymentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {Columns} FROM deployments ORDER BY name");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentRecord> UpdateAsync(
        string name, long expectedRevision, string document, IReadOnlyList<DeploymentEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await store.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var update = Db.Command(connection, transaction,
            "UPDATE deployments SET document = @doc, revision = revision + 1, updated_at = @at WHERE name = @name AND revision = @rev")
            .With("@doc", document).With("@at", Db.ToUnixMs(now)).With("@name", name).With("@rev", expectedRevision))
        {
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await using var exists = Db.Command(connection, transaction, "SELECT revision FROM deployments WHERE name = @name").With("@name", name);
                if (await exists.ScalarInt64Async(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw FerryException.NotFound($"no deployment named '{name}'");
                }

                throw new StaleRevisionException(name, expectedRevision);
            }
        }

        await AppendAsync(connection, transaction, events, cancellationToken).ConfigureAwait(false);
        DeploymentRecord updated;
        await using (var select = Db.Command(connection, transaction, $"SELECT {Columns} FROM deployments WHERE name = @name").With("@name", name))
        {
            updated = (await ReadAsync(select, cancellationToken).ConfigureAwait(false))[0];
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    public async Task<IReadOnlyList<DeploymentEvent>> ListEventsAsync(string name, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT {EventColumns} FROM deployment_events WHERE deployment = @name AND id > @after ORDER BY id LIMIT @limit")
            .With("@name", name).With("@after", afterId).With("@limit", (long)Math.Clamp(limit, 1, 10_000));
        var events = new List<DeploymentEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new DeploymentEvent
            {
                Id = reader.GetInt64(0),
                Deployment = reader.GetString(1),
                Kind = reader.GetString(2),
                Message = reader.GetString(3),
                Detail = reader.NullableString(4),
                Actor = reader.GetString(5),
                At = Db.FromUnixMs(reader.GetInt64(6)),
            });
        }

        return events;
    }

    private static async Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<DeploymentEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await using var insert = Db.Command(connection, transaction,
                "INSERT INTO deployment_events (deployment, kind, message, detail, actor, at) VALUES (@d, @k, @m, @detail, @actor, @at)")
                .With("@d", e.Deployment).With("@k", e.Kind).With("@m", e.Message).With("@detail", e.Detail)
                .With("@actor", e.Actor).With("@at", Db.ToUnixMs(e.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<DeploymentRecord>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<DeploymentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new DeploymentRecord
            {
                Name = reader.GetString(0),
                Model = reader.GetString(1),
                Document = reader.GetString(2),
                Revision = reader.GetInt64(3),
                CreatedAt = Db.FromUnixMs(reader.GetInt64(4)),
                UpdatedAt = Db.FromUnixMs(reader.GetInt64(5)),
            });
        }

        return rows;
    }
}
