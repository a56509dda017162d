namespace Ferry.Storage.Tracking;

/// <summary>MLflow's run statuses.</summary>
public static class RunStatuses
{
    public const string Running = "RUNNING";
    public const string Scheduled = "SCHEDULED";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    public static bool IsKnown(string status) => status is Running or Scheduled or Finished or Failed or Killed;
}
