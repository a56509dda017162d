using Microsoft.Extensions.Logging;

namespace Ferry.Storage;

/// <summary>The storage layer's log messages; event ids 3000-3099 are Storage's.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Opened the {Kind} metadata store at {Location}: schema version {Version}, {Applied} migration(s) applied")]
    public static partial void StoreOpened(ILogger logger, string kind, string location, int version, int applied);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Stored blob {Digest} ({Size} bytes)")]
    public static partial void BlobStored(ILogger logger, string digest, long size);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Deleted blob {Digest}")]
    public static partial void BlobDeleted(ILogger logger, string digest);
}
