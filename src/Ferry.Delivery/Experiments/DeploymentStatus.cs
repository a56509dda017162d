using Ferry.Delivery.Live;
using Ferry.Delivery.Model;
using Ferry.Delivery.Shadow;

namespace Ferry.Delivery.Experiments;

/// <summary>A deployment with what this replica measured: per-variant reports, the shadow comparison, the A/B verdict.</summary>
public sealed record DeploymentStatus
{
    public required Deployment Deployment { get; init; }

    public required IReadOnlyList<VariantReport> Variants { get; init; }

    public ShadowReport? Shadow { get; init; }

    public ExperimentVerdict? Verdict { get; init; }

    public static DeploymentStatus Of(Deployment d, LiveStats stats, IExperimentAnalyzer analyzer)
    {
        var state = d.State;
        var variants = new List<VariantReport> { Report("stable", state.StableVersion, 100 - state.CandidateWeight, stats.For(d.Name, state.StableVersion).Total) };
        if (state.CandidateVersion is { } candidate)
        {
            variants.Add(Report("candidate", candidate, state.CandidateWeight, stats.For(d.Name, candidate).Total));
        }

        var verdict = d.Spec.Strategy == DeliveryStrategy.AB && variants.Count == 2 ? analyzer.Compare(variants[0], variants[1]) : null;
        var shadow = d.Spec.Strategy == DeliveryStrategy.Shadow && state.CandidateVersion is not null ? stats.ShadowFor(d.Name).Report() : null;
        return new DeploymentStatus { Deployment = d, Variants = variants, Shadow = shadow, Verdict = verdict };
    }

    private static VariantReport Report(string role, long version, double weight, LiveWindow window)
    {
        var predictions = window.Predictions();
        Array.Sort(predictions);
        var deciles = new double[predictions.Length == 0 ? 0 : 9];
        for (var i = 0; i < deciles.Length; i++)
        {
            deciles[i] = predictions[(int)((i + 1) * 0.1 * (predictions.Length - 1))];
        }

        return new VariantReport
        {
            Role = role,
            Version = version,
            Weight = weight,
            Requests = window.Requests,
            Errors = window.Errors,
            LatencyP50Ms = window.Latency.PercentileMs(0.5),
            LatencyP99Ms = window.Latency.PercentileMs(0.99),
            LatencyMeanMs = window.Latency.MeanMs,
            LatencyStdDevMs = Math.Sqrt(window.Latency.VarianceMs2),
            LatencyCount = window.Latency.Count,
            Predictions = predictions,
            PredictionMean = predictions.Length == 0 ? null : predictions.Average(),
            PredictionDeciles = deciles,
        };
    }
}
