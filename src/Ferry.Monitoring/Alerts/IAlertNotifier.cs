namespace Ferry.Monitoring.Alerts;

/// <summary>Where firings and resolutions go besides the history and the log (webhooks). Must not block for long.</summary>
public interface IAlertNotifier
{
    void Notify(AlertEvent alert);
}
