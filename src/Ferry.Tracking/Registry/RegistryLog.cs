using Microsoft.Extensions.Logging;

namespace Ferry.Tracking.Registry;

/// <summary>The registry's log messages; event ids 4000-4099 are the registry's.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Registered {Model} version {Version} ({Size} bytes, blob {Digest}) by {Actor}")]
    public static partial void Registered(ILogger logger, string model, long version, long size, string digest, string actor);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Refused to register {Model} from {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string model, string path, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Deleted {Model} version {Version} by {Actor}; blob {Digest} {BlobFate}")]
    public static partial void VersionDeleted(ILogger logger, string model, long version, string actor, string digest, string blobFate);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Alias {Alias} of {Model} moved from {From} to {To} by {Actor}")]
    public static partial void AliasMoved(ILogger logger, string alias, string model, long? from, long? to, string actor);
}
