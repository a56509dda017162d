namespace Ferry.Inference.Models;

/// <summary>A hold on a loaded version for the length of one request; disposing it gives the version back.</summary>
public readonly struct ModelLease : IDisposable
{
    public ModelLease(ModelVersion version)
    {
        Version = version;
    }

    public ModelVersion Version { get; }

    public void Dispose() => Version?.Release();
}
