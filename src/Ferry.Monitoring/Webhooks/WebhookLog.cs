using Microsoft.Extensions.Logging;

namespace Ferry.Monitoring.Webhooks;

/// <summary>Webhook log messages; event ids 6100–6119.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(6100, LogLevel.Warning, "Webhook queue full: dropped event {Type} {Id}")]
    public static partial void Dropped(ILogger logger, string type, string id);

    [LoggerMessage(6101, LogLevel.Information, "Webhook {Type} {Id} attempt {Attempt} to {Url} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string type, string id, int attempt, string url, string reason, TimeSpan delay);

    [LoggerMessage(6102, LogLevel.Warning, "Webhook {Type} {Id} to {Url} rejected with {Status}; not retried")]
    public static partial void Rejected(ILogger logger, string type, string id, string url, int status);

    [LoggerMessage(6103, LogLevel.Error, "Webhook {Type} {Id} to {Url} gave up after {Attempts} attempts ({Reason})")]
    public static partial void GaveUp(ILogger logger, string type, string id, string url, int attempts, string reason);

    [LoggerMessage(6104, LogLevel.Error, "The webhook loop failed; continuing with the next event")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}
