namespace Ferry.Storage.Tracking;

/// <summary>Which lifecycle stages a search returns (MLflow's <c>ViewType</c>).</summary>
public enum ViewType
{
    ActiveOnly,
    DeletedOnly,
    All,
}
