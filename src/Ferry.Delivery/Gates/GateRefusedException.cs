namespace Ferry.Delivery.Gates;

/// <summary>
/// A version failed its deployment's gate and may not enter it; <see cref="Report"/> holds every check with its value
/// and threshold. The API answers 422 with the report.
/// </summary>
public sealed class GateRefusedException(string deployment, GateReport report)
    : Exception($"version {report.Version} of '{report.Model}' may not enter deployment '{deployment}': {Failed(report)}")
{
    public string Deployment { get; } = deployment;

    public GateReport Report { get; } = report;

    private static string Failed(GateReport report)
    {
        var failed = new List<string>();
        foreach (var check in report.Checks)
        {
            if (!check.Passed)
            {
                failed.Add($"{check.Name}: {check.Message}");
            }
        }

        return string.Join("; ", failed);
    }
}
