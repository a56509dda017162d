namespace Ferry.Storage.Tracking;

/// <summary>The run attributes a filter or sort may name, with whether they compare as numbers.</summary>
public static class RunAttributes
{
    public const string Status = "status";
    public const string RunName = "run_name";
    public const string RunId = "run_id";
    public const string StartTime = "start_time";
    public const string EndTime = "end_time";

    public static bool IsKnown(string key) => key is Status or RunName or RunId or StartTime or EndTime;

    public static bool IsNumeric(string key) => key is StartTime or EndTime;
}
