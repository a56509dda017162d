namespace Ferry.Storage.Delivery;

/// <summary>
/// A deployment changed between the read and the write: another request or replica won. The caller reads again
/// and decides again; nothing was written.
/// </summary>
public sealed class StaleRevisionException(string deployment, long expected)
    : Exception($"deployment '{deployment}' changed since revision {expected}; read it again")
{
    public string Deployment { get; } = deployment;
}
