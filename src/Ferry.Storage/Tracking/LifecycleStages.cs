namespace Ferry.Storage.Tracking;

/// <summary>MLflow's lifecycle stages, spelt as its API spells them.</summary>
public static class LifecycleStages
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}
