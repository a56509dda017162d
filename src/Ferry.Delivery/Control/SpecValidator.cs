using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Delivery.Model;

namespace Ferry.Delivery.Control;

/// <summary>Checks a request field by field and names the first offending one; builds the spec it describes.</summary>
public static partial class SpecValidator
{
    public static void CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw FerryException.Invalid("'name' is required");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw FerryException.Invalid($"'name' must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit, not '{name}'");
        }
    }

    /// <summary>The spec <paramref name="request"/> describes, with <paramref name="current"/>'s settings where it says nothing.</summary>
    public static DeploymentSpec Spec(DeploymentRequest request, DeploymentSpec? current)
    {
        var strategy = request.Strategy ?? current?.Strategy ?? throw FerryException.Invalid("'strategy' is required: bluegreen, canary, shadow or ab");
        var spec = new DeploymentSpec
        {
            Strategy = strategy,
            Steps = request.Steps ?? (current?.Strategy == strategy ? current.Steps : []),
            Analysis = request.Analysis ?? (current?.Strategy == strategy ? current.Analysis : null),
            ShadowPercent = request.ShadowPercent ?? current?.ShadowPercent ?? 100,
            ShadowTimeout = request.ShadowTimeout ?? current?.ShadowTimeout ?? TimeSpan.FromSeconds(1),
            CandidateWeight = request.CandidateWeight ?? current?.CandidateWeight ?? 50,
            Gates = request.Gates ?? current?.Gates,
        };

        if (strategy == DeliveryStrategy.Canary && spec.Steps.Count == 0)
        {
            throw FerryException.Invalid("'steps' must hold at least one step for a canary");
        }

        for (var i = 0; i < spec.Steps.Count; i++)
        {
            var step = spec.Steps[i];
            var at = $"steps[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (step is null || (step.SetWeight is null) == (step.Pause is null))
            {
                throw FerryException.Invalid($"'{at}' must hold exactly one of set_weight and pause");
            }

            if (step.SetWeight is { } w && !InPercent(w))
            {
                throw FerryException.Invalid($"'{at}.set_weight' must be between 0 and 100, not {w.ToString(CultureInfo.InvariantCulture)}");
            }

            if (step.Pause?.Duration is { } d && d < TimeSpan.Zero)
            {
                throw FerryException.Invalid($"'{at}.pause.duration' must not be negative");
            }
        }

        if (spec.Analysis is { } analysis)
        {
            if (analysis.Interval <= TimeSpan.Zero)
            {
                throw FerryException.Invalid("'analysis.interval' must be positive");
            }

            for (var i = 0; i < analysis.Checks.Count; i++)
            {
                CheckCheck(analysis.Checks[i], $"analysis.checks[{i.ToString(CultureInfo.InvariantCulture)}]");
            }
        }

        if (spec.ShadowPercent is <= 0 or > 100 || double.IsNaN(spec.ShadowPercent))
        {
            throw FerryException.Invalid($"'shadow_percent' must be above 0 and at most 100, not {spec.ShadowPercent.ToString(CultureInfo.InvariantCulture)}");
        }

        if (spec.ShadowTimeout <= TimeSpan.Zero)
        {
            throw FerryException.Invalid("'shadow_timeout' must be positive");
        }

        if (!InPercent(spec.CandidateWeight))
        {
            throw FerryException.Invalid($"'candidate_weight' must be between 0 and 100, not {spec.CandidateWeight.ToString(CultureInfo.InvariantCulture)}");
        }

        return spec;
    }

    private static void CheckCheck(MetricCheck? check, string at)
    {
        if (check is null)
        {
            throw FerryException.Invalid($"'{at}' must be an object");
        }

        var metric = MetricCheck.MetricName(check.Metric);
        if (check.HigherIsBetter)
        {
            if (check.FailAbove is not null || check.SucceedAtMost is not null)
            {
                var field = check.FailAbove is not null ? "fail_above" : "succeed_at_most";
                throw FerryException.Invalid($"'{at}.{field}' does not apply to {metric} (higher is better): give fail_below and, optionally, succeed_at_least");
            }

            if (check.FailBelow is not { } below || below is < 0 or > 1 || double.IsNaN(below))
            {
                throw FerryException.Invalid($"'{at}.fail_below' is required for {metric} and must be between 0 and 1");
            }

            if (check.SucceedAtLeast is { } least && (least < below || least > 1 || double.IsNaN(least)))
            {
                throw FerryException.Invalid($"'{at}.succeed_at_least' must be between fail_below ({below.ToString(CultureInfo.InvariantCulture)}) and 1");
            }
        }
        else
        {
            if (check.FailBelow is not null || check.SucceedAtLeast is not null)
            {
                var field = check.FailBelow is not null ? "fail_below" : "succeed_at_least";
                throw FerryException.Invalid($"'{at}.{field}' does not apply to {metric} (lower is better): give fail_above and, optionally, succeed_at_most");
            }

            if (check.FailAbove is not { } above || above < 0 || double.IsNaN(above))
            {
                throw FerryException.Invalid($"'{at}.fail_above' is required for {metric} and must not be negative");
            }

            if (check.SucceedAtMost is { } s && (s > above || s < 0))
            {
                throw FerryException.Invalid($"'{at}.succeed_at_most' must be between 0 and fail_above ({above.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        if (check.FailureLimit < 0)
        {
            throw FerryException.Invalid($"'{at}.failure_limit' must not be negative");
        }

        if (check.MinSamples < 1)
        {
            throw FerryException.Invalid($"'{at}.min_samples' must be at least 1");
        }
    }

    private static bool InPercent(double value) => value is >= 0 and <= 100;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
