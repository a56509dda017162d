namespace Ferry.Monitoring.Webhooks;

/// <summary>
/// An event as queued: its id (also the delivery id sent with every attempt, so receivers can drop duplicates), its
/// type, and the JSON body, serialized once so that every endpoint and every retry signs the same bytes.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset OccurredAt, byte[] Body);

/// <summary>One attempt to deliver an event to an endpoint, as the sender reports it.</summary>
/// <param name="StatusCode">The HTTP status, or null when no answer came (timeout, connection error).</param>
/// <param name="RetryIn">The wait before the next attempt, or null when this was the last one.</param>
public sealed record WebhookAttempt(string EventId, string Url, int Attempt, int? StatusCode, string? Error, WebhookOutcome Outcome, TimeSpan? RetryIn);

/// <summary>What became of an attempt.</summary>
public enum WebhookOutcome
{
    Delivered,
    WillRetry,

    /// <summary>Refused for good: a 4xx (other than 408 and 429) or a redirect; not retried.</summary>
    Rejected,

    /// <summary>Still failing after the last attempt.</summary>
    GaveUp,
}
