namespace Ferry.Monitoring.Webhooks;

/// <summary>Where events go and how hard the sender tries; bound from <c>Ferry:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Ferry:Webhooks";

    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>Events waiting to be sent; when full, new events are dropped and counted. Default 1,000.</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Attempts per delivery, the first included. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry; doubled for each next one. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts. Default 1 min.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one attempt may take before it counts as a timeout (and is retried). Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A receiver of events: its URL, the shared secret it checks signatures with, and the events it wants.</summary>
public sealed class WebhookEndpoint
{
    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>Event types sent to it (exact, or a prefix ending in <c>*</c> such as <c>deployment.*</c>); empty sends all.</summary>
    public List<string> Events { get; set; } = [];

    public bool Wants(string type)
    {
        if (Events.Count == 0)
        {
            return true;
        }

        foreach (var pattern in Events)
        {
            if (pattern.EndsWith('*') ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == type)
            {
                return true;
            }
        }

        return false;
    }
}
