using System.Data.Common;
using System.Globalization;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    private const string ExperimentColumns = "e.id, e.name, e.artifact_location, e.lifecycle_stage, e.created_at, e.updated_at";

    public Task<Experiment> CreateExperimentAsync(
        string name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var at = Db.ToUnixMs(now);
            long id;
            await using (var insert = Db.Command(connection, transaction,
                "INSERT INTO experiments (name, artifact_location, lifecycle_stage, created_at, updated_at) " +
                "VALUES (@name, '', @stage, @at, @at) ON CONFLICT (name) DO NOTHING RETURNING id")
                .With("@name", name).With("@stage", LifecycleStages.Active).With("@at", at))
            {
                id = await insert.ScalarInt64Async(cancellationToken).ConfigureAwait(false)
                    ?? throw new FerryException(ErrorCode.AlreadyExists, $"Experiment '{name}' already exists.");
            }

            // The default location names the experiment's id, known only after the insert.
            var location = string.IsNullOrEmpty(artifactLocation) ? "mlflow-artifacts:/" + id.ToString(CultureInfo.InvariantCulture) : artifactLocation;
            await ExecuteAsync(Db.Command(connection, transaction, "UPDATE experiments SET artifact_location = @loc WHERE id = @id")
                .With("@loc", location).With("@id", id), cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in tags)
            {
                await ExecuteAsync(Db.Command(connection, transaction,
                    "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (@id, @k, @v) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value")
                    .With("@id", id).With("@k", key).With("@v", value), cancellationToken).ConfigureAwait(false);
            }

            return new Experiment
            {
                Id = id, Name = name, ArtifactLocation = location, LifecycleStage = LifecycleStages.Active,
                CreatedAt = Db.FromUnixMs(at), UpdatedAt = Db.FromUnixMs(at), Tags = tags,
            };
        }, cancellationToken);

    public async Task<Experiment?> GetExperimentAsync(long id, CancellationToken cancellationToken) =>
        (await ReadExperimentsAsync("e.id = @p", id, "", null, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken) =>
        (await ReadExperimentsAsync("e.name = @p", name, "", null, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        if (query.MaxResults is < 1 or > ExperimentQuery.MaxPageSize)
        {
            throw FerryException.Invalid($"max_results must be between 1 and {ExperimentQuery.MaxPageSize}, not {query.MaxResults}");
        }

        var offset = OffsetToken.Decode(query.PageToken);
        var where = new List<string> { StageClause("e.lifecycle_stage", query.View) };
        object? parameter = null;
        if (query.Name is not null)
        {
            where.Add("e.name = @p");
            parameter = query.Name;
        }
        else if (query.NameLike is not null)
        {
            where.Add("e.name LIKE @p");
            parameter = query.NameLike;
        }

        var rows = await ReadExperimentsAsync(string.Join(" AND ", where), parameter,
            "ORDER BY e.id LIMIT @limit OFFSET @offset", (query.MaxResults + 1, offset), cancellationToken).ConfigureAwait(false);
        return OffsetToken.Page(rows, query.MaxResults, offset);
    }

    public Task RenameExperimentAsync(long id, string newName, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var taken = Db.Command(connection, transaction, "SELECT id FROM experiments WHERE name = @name").With("@name", newName);
            if (await taken.ScalarInt64Async(cancellationToken).ConfigureAwait(false) is { } other && other != id)
            {
                throw new FerryException(ErrorCode.AlreadyExists, $"Experiment '{newName}' already exists.");
            }

            var changed = await ExecuteAsync(Db.Command(connection, transaction,
                "UPDATE experiments SET name = @name, updated_at = @at WHERE id = @id")
                .With("@name", newName).With("@at", Db.ToUnixMs(now)).With("@id", id), cancellationToken).ConfigureAwait(false);
            if (changed == 0)
            {
                throw ExperimentMissing(id);
            }
        }, cancellationToken);

    public Task SetExperimentStageAsync(long id, string stage, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var changed = await ExecuteAsync(Db.Command(connection, transaction,
                "UPDATE experiments SET lifecycle_stage = @stage, updated_at = @at WHERE id = @id")
                .With("@stage", stage).With("@at", Db.ToUnixMs(now)).With("@id", id), cancellationToken).ConfigureAwait(false);
            if (changed == 0)
            {
                throw ExperimentMissing(id);
            }

            await ExecuteAsync(Db.Command(connection, transaction, "UPDATE runs SET lifecycle_stage = @stage WHERE experiment_id = @id")
                .With("@stage", stage).With("@id", id), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    internal static FerryException ExperimentMissing(long id) =>
        FerryException.NotFound($"No Experiment with id={id.ToString(CultureInfo.InvariantCulture)} exists");

    private static string StageClause(string column, ViewType view) => view switch
    {
        ViewType.ActiveOnly => $"{column} = '{LifecycleStages.Active}'",
        ViewType.DeletedOnly => $"{column} = '{LifecycleStages.Deleted}'",
        _ => "1 = 1",
    };

    private async Task<List<Experiment>> ReadExperimentsAsync(
        string where, object? parameter, string tail, (int Limit, long Offset)? page, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {ExperimentColumns} FROM experiments e WHERE {where} {tail}");
        if (parameter is not null)
        {
            command.With("@p", parameter);
        }

        if (page is { } p)
        {
            command.With("@limit", (long)p.Limit).With("@offset", p.Offset);
        }

        var experiments = new List<Experiment>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                experiments.Add(new Experiment
                {
                    Id = reader.GetInt64(0), Name = reader.GetString(1), ArtifactLocation = reader.GetString(2),
                    LifecycleStage = reader.GetString(3), CreatedAt = Db.FromUnixMs(reader.GetInt64(4)), UpdatedAt = Db.FromUnixMs(reader.GetInt64(5)),
                });
            }
        }

        for (var i = 0; i < experiments.Count; i++)
        {
            experiments[i] = experiments[i] with { Tags = await ReadTagsAsync(connection, experiments[i].Id, cancellationToken).ConfigureAwait(false) };
        }

        return experiments;
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadTagsAsync(DbConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, null, "SELECT key, value FROM experiment_tags WHERE experiment_id = @id ORDER BY key").With("@id", id);
        return await ReadPairsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, string>> ReadPairsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pairs[reader.GetString(0)] = reader.GetString(1);
        }

        return pairs;
    }
}
