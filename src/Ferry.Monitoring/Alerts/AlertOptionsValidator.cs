using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Alerts;

/// <summary>Refuses a rule set the manager could not evaluate, naming the rule and the field, before the server starts.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var failures = new List<string>();
        if (options.EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Ferry:Alerts:EvaluationInterval must be at least 1 second, not {options.EvaluationInterval}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            foreach (var problem in Problems(options.Rules[i]))
            {
                failures.Add($"alert rule {i} ('{options.Rules[i].Name}'): {problem}");
            }

            if (!string.IsNullOrEmpty(options.Rules[i].Name) && !names.Add(options.Rules[i].Name))
            {
                failures.Add($"alert rule {i}: the name '{options.Rules[i].Name}' is used twice");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with one rule, each naming its field; empty when it can be evaluated.</summary>
    public static IEnumerable<string> Problems(AlertRule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            yield return "'name' is required";
        }

        if (string.IsNullOrWhiteSpace(rule.Model))
        {
            yield return "'model' is required";
        }

        if (!AlertKinds.All.Contains(rule.Kind))
        {
            yield return $"'kind' must be one of {string.Join(", ", AlertKinds.All)}, not '{rule.Kind}'";
            yield break;
        }

        if (rule.Op is { } op && !AlertKinds.Ops.Contains(op))
        {
            yield return $"'op' must be one of {string.Join(" ", AlertKinds.Ops)}, not '{op}'";
        }

        if (!double.IsFinite(rule.Threshold))
        {
            yield return "'threshold' must be a finite number";
        }

        if (rule.Window <= TimeSpan.Zero)
        {
            yield return "'window' must be positive";
        }

        if (rule.MinSamples < 1)
        {
            yield return "'minSamples' must be at least 1";
        }

        var allowed = rule.Kind switch
        {
            AlertKinds.Latency => AlertKinds.LatencyMetrics,
            AlertKinds.Performance => AlertKinds.PerformanceMetrics,
            AlertKinds.Staleness => AlertKinds.StalenessMetrics,
            _ => null,
        };
        if (allowed is not null && rule.Metric is { } metric && !allowed.Contains(metric))
        {
            yield return $"'metric' of a {rule.Kind} rule must be one of {string.Join(", ", allowed)}, not '{metric}'";
        }

        if (rule.Kind is AlertKinds.Performance or AlertKinds.Staleness && rule.Metric is null)
        {
            yield return $"'metric' is required for a {rule.Kind} rule ({string.Join(", ", allowed!)})";
        }

        if (rule.Kind == AlertKinds.Drift && string.IsNullOrWhiteSpace(rule.Reference))
        {
            yield return "'reference' (the training data file) is required for a drift rule";
        }
    }
}
