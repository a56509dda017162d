namespace Ferry.Monitoring.Log;

/// <summary>What to read from the log: a model, optionally one version, and a half-open time range [From, To).</summary>
public sealed record LogRange(string Model, string? Version, DateTimeOffset From, DateTimeOffset To)
{
    public long FromMs => From.ToUnixTimeMilliseconds();

    public long ToMs => To.ToUnixTimeMilliseconds();
}
