using System.Text.Json;
using Ferry.Batch;
using Ferry.Batch.Io;
using Ferry.Storage;
using Ferry.Storage.Tracking;

namespace Ferry.Tracking.Datasets;

/// <summary>
/// Registers dataset versions: digests the files, profiles them and stores the version, unless a version of that name
/// with the same digest exists, which is returned as it is (profiling is skipped: the content is the same).
/// </summary>
public sealed class DatasetService(IMetadataStore store, TimeProvider time)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<(DatasetVersionRecord Version, bool Created)> RegisterAsync(string path, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 256)
        {
            throw FerryException.Invalid("a dataset name of 1 to 256 characters is required");
        }

        IReadOnlyList<InputFile> files;
        try
        {
            files = InputFile.List(path);
        }
        catch (BatchUsageException e)
        {
            throw FerryException.Invalid(e.Message);
        }

        var (digest, size) = await DatasetManifest.DigestAsync(files, cancellationToken).ConfigureAwait(false);
        if (await store.Tracking.FindDatasetVersionAsync(name, digest, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (existing, false);
        }

        var profile = await DatasetProfiler.ProfileAsync(files, cancellationToken).ConfigureAwait(false);
        var schema = profile.Columns.Select(c => new { name = c.Name, type = c.Type }).ToArray();
        return await store.Tracking.AddDatasetVersionAsync(new DatasetVersionRecord
        {
            Id = "", Name = name, Version = 0, Digest = digest, SourceType = "local", Source = Path.GetFullPath(path),
            SizeBytes = size, RowCount = profile.RowCount, SchemaJson = JsonSerializer.Serialize(schema, Json),
            ProfileJson = JsonSerializer.Serialize(profile, Json), CreatedAt = time.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetVersionRecord> GetAsync(string name, long version, CancellationToken cancellationToken) =>
        await store.Tracking.GetDatasetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            ?? throw FerryException.NotFound($"dataset '{name}' has no version {version}");

    public static DatasetProfile? ReadProfile(DatasetVersionRecord version) =>
        version.ProfileJson is null ? null : JsonSerializer.Deserialize<DatasetProfile>(version.ProfileJson, Json);
}
