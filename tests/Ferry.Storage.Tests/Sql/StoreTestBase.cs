using Ferry.Storage.Tests.Fixtures;

namespace Ferry.Storage.Tests.Sql;

/// <summary>Helpers that write straight through the store, with no registry in between.</summary>
public abstract class StoreTestBase(StoresFixture fixture)
{
    protected static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    protected static readonly ModelSignature Signature = new()
    {
        Inputs = [new TensorSpec { Name = "x", DataType = DataType.Fp32, Shape = [-1, 4] }],
        Outputs = [new TensorSpec { Name = "y", DataType = DataType.Int64, Shape = [-1] }],
    };

    protected StoresFixture Fixture => fixture;

    protected static string Digest(int i) => i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    protected static async Task CreateModelAsync(IMetadataStore store, string name, params (string Key, string Value)[] tags)
    {
        await using var tx = await store.BeginAsync(CancellationToken.None);
        await tx.CreateModelAsync(name, $"about {name}", Now, CancellationToken.None);
        foreach (var (key, value) in tags)
        {
            await tx.SetTagAsync(name, null, key, value, CancellationToken.None);
        }

        await tx.CommitAsync(CancellationToken.None);
    }

    protected static async Task<ModelVersionRecord> AddVersionAsync(
        IMetadataStore store, string name, int digest = 1, IReadOnlyDictionary<string, string>? tags = null)
    {
        await using var tx = await store.BeginAsync(CancellationToken.None);
        var record = await tx.AddVersionAsync(NewVersion(name, digest, tags), CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return record;
    }

    protected static NewModelVersion NewVersion(string name, int digest, IReadOnlyDictionary<string, string>? tags = null) => new()
    {
        ModelName = name,
        BlobDigest = Digest(digest),
        SizeBytes = 1000 + digest,
        Signature = Signature,
        SourceRunId = "run-1",
        DatasetVersionIds = ["ds-1", "ds-2"],
        Tags = tags ?? new Dictionary<string, string>(),
        CreatedAt = Now,
        CreatedBy = "alice",
    };
}
