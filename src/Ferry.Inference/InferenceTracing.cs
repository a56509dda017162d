using System.Diagnostics;

namespace Ferry.Inference;

/// <summary>
/// The data plane's activity source. A span costs nothing unless a listener (OpenTelemetry, when the server exports
/// traces) samples it: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null otherwise.
/// </summary>
public static class InferenceTracing
{
    public const string SourceName = "Ferry.Inference";

    public static readonly ActivitySource Source = new(SourceName);
}
