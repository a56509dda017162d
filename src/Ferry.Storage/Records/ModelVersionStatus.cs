namespace Ferry.Storage;

/// <summary>The life of a model version, as MLflow names it.</summary>
public enum ModelVersionStatus
{
    /// <summary>Reserved for registrations that copy their artifact asynchronously.</summary>
    PendingRegistration,

    FailedRegistration,

    Ready,
}
