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
        await foreach (var chunk in _reader.ReadAsync(current, cancellationToken).ConfigureAwait(false))
        {
            sketches.Add(chunk, current.FromMs, current.ToMs);
        }

        var features = _detector.Compare(reference, sketches, testName, threshold);
        var share = features.Count == 0 ? 0 : features.Count(f => f.Result.Drifted) / (double)features.Count;
        return new DriftReport
        {
            Model = current.Model,
            Version = current.Version,
            From = current.From,
            To = current.To,
            Reference = reference.Source,
            CurrentRows = sketches.Rows,
            Features = features,
            DriftedShare = share,
            DatasetDriftThreshold = datasetShare,
            DatasetDrift = features.Count > 0 && share >= datasetShare,
        };
    }
}
