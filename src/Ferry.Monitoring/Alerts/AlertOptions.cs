namespace Ferry.Monitoring.Alerts;

/// <summary>Alert rules and how often they are evaluated (configuration section <c>Ferry:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public List<AlertRule> Rules { get; set; } = [];

    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The append-only history of firings and resolutions (JSON lines); set from the server's home.</summary>
    public string HistoryPath { get; set; } = "";
}
