namespace Ferry.Monitoring.Alerts;

/// <summary>
/// When a served model version was made and when its training data was registered: what staleness rules measure.
/// The server answers from the registry and lineage where it can, else from the model files.
/// </summary>
public interface IModelAgeSource
{
    Task<DateTimeOffset?> ModelCreatedAsync(string model, string? version, CancellationToken cancellationToken);

    Task<DateTimeOffset?> TrainingDataCreatedAsync(string model, string? version, CancellationToken cancellationToken);
}

/// <summary>Knows no ages: staleness rules then have no value and leave their state alone.</summary>
public sealed class NoModelAges : IModelAgeSource
{
    public Task<DateTimeOffset?> ModelCreatedAsync(string model, string? version, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);

    public Task<DateTimeOffset?> TrainingDataCreatedAsync(string model, string? version, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);
}
