using Ferry.Server.Rest;
using Ferry.Storage;

namespace Ferry.Server.Registry;

/// <summary>A model version as the management API shows it.</summary>
public sealed record VersionView(
    string Model, long Version, string Digest, long SizeBytes, string Status, string? Description, string? SourceRunId,
    IReadOnlyList<string> Datasets, DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs)
{
    public static VersionView Of(ModelVersionRecord r) => new(
        r.ModelName, r.Version, r.BlobDigest, r.SizeBytes, r.Status.ToString().ToLowerInvariant(), r.Description, r.SourceRunId,
        r.DatasetVersionIds, r.CreatedAt, r.CreatedBy, r.Tags, r.Aliases,
        OipRestEndpoints.Describe(r.Signature.Inputs), OipRestEndpoints.Describe(r.Signature.Outputs));
}

/// <summary>A registered model; <see cref="Versions"/> is filled when one model is asked for, not in lists.</summary>
public sealed record ModelView(
    string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long LastVersion,
    IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, long> Aliases, IReadOnlyList<VersionView>? Versions = null)
{
    public static ModelView Of(RegisteredModel m, IReadOnlyList<VersionView>? versions = null) =>
        new(m.Name, m.Description, m.CreatedAt, m.UpdatedAt, m.LastVersion, m.Tags, m.Aliases, versions);
}

public sealed record PageView<T>(IReadOnlyList<T> Items, string? NextPageToken);

public sealed record AuditView(long Id, string Model, long? Version, string Action, string? Detail, string Actor, string? Reason, DateTimeOffset At)
{
    public static AuditView Of(AuditEntry e) => new(e.Id, e.ModelName, e.Version, e.Action.ToString(), e.Detail, e.Actor, e.Reason, e.At);
}

/// <summary>Body of <c>PUT .../aliases/{alias}</c>.</summary>
public sealed record AliasRequest(long Version, string? Reason = null);

/// <summary>Body of <c>PUT .../tags/{key}</c>; <see cref="Version"/> null tags the model itself.</summary>
public sealed record TagRequest(string Value, long? Version = null, string? Reason = null);
