namespace Ferry.Delivery.Gates;

/// <summary>A registered model version to check before it may enter a deployment, and the bar it must clear.</summary>
public sealed record GateRequest
{
    public required string Model { get; init; }

    public required long Version { get; init; }

    /// <summary>
    /// The signature the deployment serves. Null takes the champion's (the version behind
    /// <see cref="OptimisingMetric.ChampionAlias"/> or <c>champion</c>); with neither the check passes, saying so.
    /// </summary>
    public ModelSignature? Contract { get; init; }

    public GatePolicy Policy { get; init; } = new();
}
