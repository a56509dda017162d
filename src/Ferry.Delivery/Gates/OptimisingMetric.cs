namespace Ferry.Delivery.Gates;

/// <summary>
/// A metric computed by scoring a registered dataset version with the candidate and with the champion; the
/// candidate must be at least as good, give or take <see cref="Tolerance"/>.
/// </summary>
public sealed record OptimisingMetric
{
    /// <summary>The metrics the gate knows, and whether higher is better.</summary>
    public static IReadOnlyDictionary<string, bool> Known { get; } = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["auc"] = true, ["accuracy"] = true, ["f1"] = true, ["rmse"] = false, ["mae"] = false,
    };

    /// <summary>auc, accuracy, f1 (higher is better), rmse or mae (lower is better).</summary>
    public required string Name { get; init; }

    public required string Dataset { get; init; }

    public required long DatasetVersion { get; init; }

    /// <summary>The dataset's column holding the true value.</summary>
    public required string Label { get; init; }

    /// <summary>The output holding the predicted class or value; default: one named like label/predict/score, else the first.</summary>
    public string? Prediction { get; init; }

    /// <summary>The output holding the positive-class score for AUC; default: one named like prob or score (element [1] of two).</summary>
    public string? Score { get; init; }

    /// <summary>Model input → dataset column, when they are not named alike.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>();

    /// <summary>How much worse than the champion the candidate may be (in the metric's units). Default 0.</summary>
    public double Tolerance { get; init; }

    /// <summary>The alias naming the version to beat. Default <c>champion</c>.</summary>
    public string ChampionAlias { get; init; } = "champion";

    public bool HigherIsBetter => Known[Name];
}
