using System.Data.Common;
using Ferry.Storage.Tracking;

namespace Ferry.Storage.Sql.Tracking;

internal sealed partial class SqlTrackingStore
{
    private const string ArtifactColumns = "run_id, path, blob_digest, size_bytes, created_at";

    public Task PutRunArtifactAsync(RunArtifact artifact, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using (var run = Db.Command(connection, transaction, "SELECT 1 FROM runs WHERE run_id = @id").With("@id", artifact.RunId))
            {
                if (await run.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw FerryException.NotFound($"Run '{artifact.RunId}' not found");
                }
            }

            await ExecuteAsync(Db.Command(connection, transaction,
                $"INSERT INTO run_artifacts ({ArtifactColumns}) VALUES (@run, @path, @digest, @size, @at) " +
                "ON CONFLICT (run_id, path) DO UPDATE SET blob_digest = excluded.blob_digest, size_bytes = excluded.size_bytes, created_at = excluded.created_at")
                .With("@run", artifact.RunId).With("@path", artifact.Path).With("@digest", artifact.BlobDigest)
                .With("@size", artifact.SizeBytes).With("@at", Db.ToUnixMs(artifact.CreatedAt)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<RunArtifact?> GetRunArtifactAsync(string runId, string path, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, $"SELECT {ArtifactColumns} FROM run_artifacts WHERE run_id = @run AND path = @path")
            .With("@run", runId).With("@path", path);
        var artifacts = await ReadArtifactsAsync(command, cancellationToken).ConfigureAwait(false);
        return artifacts.Count == 0 ? null : artifacts[0];
    }

    public async Task<IReadOnlyList<RunArtifact>> ListRunArtifactsAsync(string runId, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null,
            $"SELECT {ArtifactColumns} FROM run_artifacts WHERE run_id = @run AND substr(path, 1, @length) = @prefix ORDER BY path")
            .With("@run", runId).With("@prefix", prefix).With("@length", (long)prefix.Length);
        return await ReadArtifactsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<RunArtifact>> ReadArtifactsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var artifacts = new List<RunArtifact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            artifacts.Add(new RunArtifact(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), Db.FromUnixMs(reader.GetInt64(4))));
        }

        return artifacts;
    }
}
