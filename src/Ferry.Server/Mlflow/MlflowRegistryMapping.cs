using System.Globalization;
using Ferry.Storage;

namespace Ferry.Server.Mlflow;

/// <summary>
/// Registry records as MLflow's messages. Ferry's versions are ready once registered and have no stages, so
/// <c>status</c> is READY and <c>current_stage</c> None. The <c>source</c> a client gave is kept in a version tag
/// (<see cref="SourceTag"/>) that MLflow's view does not list.
/// </summary>
internal static class MlflowRegistryMapping
{
    public const string SourceTag = "ferry.mlflow.source";
    public const string NoStage = "None";

    public static MlflowModelVersion ToMlflow(ModelVersionRecord v)
    {
        var created = v.CreatedAt.ToUnixTimeMilliseconds();
        var tags = new List<MlflowKeyValue>(v.Tags.Count);
        foreach (var (key, value) in v.Tags)
        {
            if (key != SourceTag)
            {
                tags.Add(new MlflowKeyValue(key, value));
            }
        }

        return new MlflowModelVersion(
            v.ModelName, Version(v.Version), created, created, NoStage, v.Description ?? "", Source(v), v.SourceRunId ?? "", Status(v.Status), "",
            tags, v.Aliases);
    }

    public static MlflowRegisteredModel ToMlflow(RegisteredModel m, ModelVersionRecord? latest)
    {
        var tags = new List<MlflowKeyValue>(m.Tags.Count);
        foreach (var (key, value) in m.Tags)
        {
            tags.Add(new MlflowKeyValue(key, value));
        }

        var aliases = new List<MlflowAlias>(m.Aliases.Count);
        foreach (var (alias, version) in m.Aliases)
        {
            aliases.Add(new MlflowAlias(alias, Version(version)));
        }

        aliases.Sort((a, b) => string.CompareOrdinal(a.Alias, b.Alias));
        return new MlflowRegisteredModel(
            m.Name, m.CreatedAt.ToUnixTimeMilliseconds(), m.UpdatedAt.ToUnixTimeMilliseconds(), m.Description ?? "",
            latest is null ? [] : [ToMlflow(latest)], tags, aliases);
    }

    /// <summary>Where the version came from: the source given to <c>model-versions/create</c>, else the registry's own address.</summary>
    public static string Source(ModelVersionRecord v) =>
        v.Tags.TryGetValue(SourceTag, out var source) ? source : $"models:/{v.ModelName}/{Version(v.Version)}";

    public static string Version(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>MLflow's version numbers are strings on the wire; anything but a positive integer names the field.</summary>
    public static long ParseVersion(string? version)
    {
        var text = MlflowRequest.Required(version, "version");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw FerryException.Invalid($"Invalid value '{text}' for parameter 'version': expected a positive integer");
    }

    private static string Status(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.Ready => "READY",
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        _ => "FAILED_REGISTRATION",
    };
}
