using System.Text.Json.Serialization;

namespace Ferry.Inference.Models;

/// <summary>Triton's <c>dynamic_batching</c> settings: how requests are gathered into one run.</summary>
public sealed record DynamicBatching
{
    /// <summary>The bound used when <c>max_queue_size</c> is 0 or absent: Ferry never queues without limit.</summary>
    public const int DefaultMaxQueueSize = 1024;

    /// <summary>How long the first request of a batch may wait for others; 0 (default) batches only what is already queued.</summary>
    [JsonPropertyName("max_queue_delay_microseconds")]
    public long MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Batch sizes worth dispatching at once, without waiting out the queue delay.</summary>
    [JsonPropertyName("preferred_batch_size")]
    public IReadOnlyList<int>? PreferredBatchSize { get; init; }

    [JsonPropertyName("default_queue_policy")]
    public QueuePolicy? DefaultQueuePolicy { get; init; }

    public IEnumerable<string> Validate(int maxBatchSize)
    {
        if (MaxQueueDelayMicroseconds < 0)
        {
            yield return "dynamic_batching.max_queue_delay_microseconds must be 0 or more";
        }

        if (PreferredBatchSize?.Any(s => s < 1 || (maxBatchSize > 0 && s > maxBatchSize)) == true)
        {
            yield return $"dynamic_batching.preferred_batch_size values must be between 1 and max_batch_size ({maxBatchSize})";
        }

        if (DefaultQueuePolicy is { } policy)
        {
            if (policy.MaxQueueSize < 0)
            {
                yield return "dynamic_batching.default_queue_policy.max_queue_size must be 0 (the default bound) or more";
            }

            if (policy.DefaultTimeoutMicroseconds < 0)
            {
                yield return "dynamic_batching.default_queue_policy.default_timeout_microseconds must be 0 (none) or more";
            }
        }
    }
}

/// <summary>Triton's queue policy: how many requests may wait and for how long.</summary>
public sealed record QueuePolicy
{
    /// <summary>Requests that may wait; 0 means <see cref="DynamicBatching.DefaultMaxQueueSize"/>. Beyond it requests get 429.</summary>
    [JsonPropertyName("max_queue_size")]
    public int MaxQueueSize { get; init; }

    /// <summary>How long a request may wait before it is refused; 0 means no limit.</summary>
    [JsonPropertyName("default_timeout_microseconds")]
    public long DefaultTimeoutMicroseconds { get; init; }

    /// <summary>Triton's timeout_action; only REJECT is offered.</summary>
    [JsonPropertyName("timeout_action")]
    public string? TimeoutAction { get; init; }

    [JsonPropertyName("allow_timeout_override")]
    public bool AllowTimeoutOverride { get; init; }
}
