namespace Ferry.Client;

/// <summary>
/// One entry point to a Ferry server: tracking (MLflow API), datasets and inference. The caller owns the
/// <see cref="HttpClient"/> (its <c>BaseAddress</c> is the server) and disposes it; against a server with auth on, it sets
/// the bearer token (<c>DefaultRequestHeaders.Authorization</c>): a reader token reads, a writer token logs and registers.
/// The model registry's HTTP API is added here when it lands on the server.
/// </summary>
public sealed class FerryClient(HttpClient http, TimeProvider? time = null)
{
    public TrackingClient Tracking { get; } = new(http, time ?? TimeProvider.System);

    public DatasetsClient Datasets { get; } = new(http);

    public InferenceClient Inference { get; } = new(http);
}
