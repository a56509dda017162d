using Ferry.Monitoring.Log;

namespace Ferry.Monitoring.Drift;

/// <summary>Drift of a model's logged inputs over a window against a reference profile.</summary>
public sealed class DriftService
{
    private readonly PredictionLogReader _reader;
    private readonly DriftDetector _detector;

    public DriftService(PredictionLogReader reader, IEnumerable<IDriftTest> tests)
    {
        _reader = reader;
        _detector = new DriftDetector(tests);
    }

    public async Task<DriftReport> DetectAsync(ReferenceProfile reference, LogRange current, string? testName, double? threshold, double datasetShare, CancellationToken cancellationToken)
    {
        var sketches = new SketchSet(reference);
        var features = reference.Features.Keys.Select(k => LogColumns.InputPrefix + k).ToHashSet(StringComparer.Ordinal);
        await foreach (var chunk in _reader.ReadAsync(current, features, cancellationToken).ConfigureAwait(false))
        {
            sketches.Add(chunk, current.FromMs, current.ToMs);
        }

        var results = _detector.Compare(reference, sketches, testName, threshold);
        var share = results.Count == 0 ? 0 : results.Count(f => f.Result.Drifted) / (double)results.Count;
        return new DriftReport
        {
            Model = current.Model,
            Version = current.Version,
            From = current.From,
            To = current.To,
            Reference = reference.Source,
            CurrentRows = sketches.Rows,
            Features = results,
            DriftedShare = share,
            DatasetDriftThreshold = datasetShare,
            DatasetDrift = results.Count > 0 && share >= datasetShare,
        };
    }
}
