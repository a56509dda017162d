namespace Ferry.Monitoring.Drift;

/// <summary>
/// Runs a test per feature, chosen as Evidently does by default unless one is named: with at most 1000 reference
/// rows, numeric → KS (p &lt; 0.05), categorical → chi-square (p &lt; 0.05); with more, numeric → Wasserstein
/// normalised (≥ 0.1), categorical → Jensen–Shannon (≥ 0.1). Numbers with at most 5 distinct reference values are
/// categorical (see <see cref="ReferenceProfileBuilder"/>). Evidently uses a proportion z-test for binary categories
/// with a small reference; Ferry uses chi-square there too.
/// </summary>
public sealed class DriftDetector
{
    public const int SmallReferenceRows = 1000;
    public const double DefaultDatasetDriftShare = 0.5;

    private readonly Dictionary<string, IDriftTest> _tests;

    public DriftDetector(IEnumerable<IDriftTest> tests)
    {
        _tests = tests.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
    }

    public static DriftDetector Default { get; } = new([new KolmogorovSmirnovTest(), new WassersteinTest(), new JensenShannonTest(), new ChiSquareTest(), new PsiTest()]);

    public IReadOnlyCollection<string> TestNames => _tests.Keys;

    public static string DefaultTestName(FeatureKind kind, long referenceRows) => (kind, referenceRows <= SmallReferenceRows) switch
    {
        (FeatureKind.Numeric, true) => "ks",
        (FeatureKind.Numeric, false) => "wasserstein",
        (_, true) => "chisquare",
        _ => "jensenshannon",
    };

    /// <param name="testName">A test for every feature instead of the default choice; null for the default.</param>
    /// <param name="threshold">The test's threshold instead of its default; null for the default.</param>
    public IReadOnlyList<FeatureDrift> Compare(ReferenceProfile reference, SketchSet current, string? testName = null, double? threshold = null)
    {
        var results = new List<FeatureDrift>();
        foreach (var (name, profile) in reference.Features.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!current.Seen.Contains(name))
            {
                continue;
            }

            var test = Find(testName ?? DefaultTestName(profile.Kind, profile.Count));
            if (!test.Supports(profile.Kind))
            {
                throw new ArgumentException($"test '{test.Name}' does not apply to {profile.Kind.ToString().ToLowerInvariant()} feature '{name}'", nameof(testName));
            }

            var sketch = current.Sketches[name];
            results.Add(new FeatureDrift(name, profile.Kind, profile.Count, sketch.Count, test.Run(profile, sketch, threshold ?? test.DefaultThreshold)));
        }

        return results;
    }

    public IDriftTest Find(string name) =>
        _tests.TryGetValue(name, out var test)
            ? test
            : throw new ArgumentException($"no drift test '{name}'; known: {string.Join(", ", _tests.Keys.Order(StringComparer.Ordinal))}", nameof(name));
}
