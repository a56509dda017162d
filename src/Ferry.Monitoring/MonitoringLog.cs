using Microsoft.Extensions.Logging;

namespace Ferry.Monitoring;

/// <summary>The monitoring component's log messages; event ids 6000–6099 are its own.</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(6000, LogLevel.Error, "The prediction log could not write {Rows} rows of {Model} to {Folder}; they are lost and inference goes on")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int rows, string model, string folder);

    [LoggerMessage(6001, LogLevel.Information, "Sealed prediction log segment {Path} ({Rows} rows, {Bytes} bytes)")]
    public static partial void Sealed(ILogger logger, string path, long rows, long bytes);

    [LoggerMessage(6002, LogLevel.Warning, "Recovered prediction log segment {Path} left open by a previous run")]
    public static partial void Recovered(ILogger logger, string path);

    [LoggerMessage(6003, LogLevel.Warning, "Prediction log segment {Path} left open by a previous run cannot be read; kept as {Corrupt}")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception, string path, string corrupt);

    [LoggerMessage(6004, LogLevel.Information, "Deleted prediction log segment {Path}: older than the retention")]
    public static partial void Expired(ILogger logger, string path);

    [LoggerMessage(6005, LogLevel.Error, "The prediction log writer failed; retrying in {Delay}")]
    public static partial void LoopFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(6006, LogLevel.Warning, "Skipped unreadable prediction log segment {Path}")]
    public static partial void Unreadable(ILogger logger, Exception exception, string path);

    [LoggerMessage(6010, LogLevel.Warning, "Alert {Rule} firing: {Message}")]
    public static partial void AlertFiring(ILogger logger, string rule, string message);

    [LoggerMessage(6011, LogLevel.Information, "Alert {Rule} resolved: {Message}")]
    public static partial void AlertResolved(ILogger logger, string rule, string message);

    [LoggerMessage(6012, LogLevel.Error, "Alert rule {Rule} could not be evaluated")]
    public static partial void AlertRuleFailed(ILogger logger, Exception exception, string rule);

    [LoggerMessage(6013, LogLevel.Error, "The alert evaluation loop failed; it goes on at the next interval")]
    public static partial void AlertLoopFailed(ILogger logger, Exception exception);
}
