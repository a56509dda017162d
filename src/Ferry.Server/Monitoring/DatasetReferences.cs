using System.Globalization;
using Ferry.Inference.Models;
using Ferry.Monitoring.Drift;
using Ferry.Storage;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Datasets;
using Ferry.Tracking.Lineage;

namespace Ferry.Server.Monitoring;

/// <summary>
/// Drift references from the dataset registry: <c>dataset:NAME@VERSION</c> uses that version's stored profile,
/// <c>training</c> the profile of the dataset the served model version was trained on (its lineage: the run's
/// "train" input, or the dataset the version names). Anything else is a data file.
/// </summary>
/// <remarks>
/// A stored profile has coarser bins (10) than a profile made from the file (100) and keeps only the top categories
/// (the rest count as one "other" category); the tests run on those bins.
/// </remarks>
public sealed class DatasetReferences(IMetadataStore store, LineageService lineage, ModelManager models) : IReferenceSource
{
    public const string DatasetPrefix = "dataset:";
    public const string Training = "training";

    private readonly FileReferences _files = new();

    public async Task<ReferenceProfile> LoadAsync(string reference, string model, string? version, CancellationToken cancellationToken)
    {
        if (reference == Training)
        {
            return await TrainingAsync(model, version, cancellationToken).ConfigureAwait(false);
        }

        if (!reference.StartsWith(DatasetPrefix, StringComparison.Ordinal))
        {
            return await _files.LoadAsync(reference, model, version, cancellationToken).ConfigureAwait(false);
        }

        var spec = reference[DatasetPrefix.Length..];
        var at = spec.LastIndexOf('@');
        if (at <= 0 || !long.TryParse(spec.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"reference '{reference}': write dataset:NAME@VERSION, e.g. dataset:weather@1");
        }

        var dataset = await store.Tracking.GetDatasetVersionAsync(spec[..at], number, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"reference '{reference}': dataset '{spec[..at]}' has no version {number}");
        return FromDataset(dataset);
    }

    /// <summary>A stored dataset profile as a drift reference: one numeric sketch per number column, one categorical per text column.</summary>
    public static ReferenceProfile FromDataset(DatasetVersionRecord dataset)
    {
        var profile = DatasetService.ReadProfile(dataset)
            ?? throw new InvalidOperationException($"dataset '{dataset.Name}' version {dataset.Version} has no profile to compare with");
        var features = new Dictionary<string, FeatureProfile>(StringComparer.Ordinal);
        foreach (var column in profile.Columns)
        {
            if (column.Histogram is { } histogram && column.Min is { } min && column.Max is { } max)
            {
                // The dataset profile's std is the sample one (n - 1); the drift tests normalise by the population one.
                var n = column.Count;
                var std = column.Std is { } s && n > 1 ? s * Math.Sqrt((n - 1) / (double)n) : 0;
                features[column.Name] = new FeatureProfile
                {
                    Name = column.Name,
                    Kind = FeatureKind.Numeric,
                    Sketch = NumericSketch.FromHistogram(column.Name, histogram.Edges.ToArray(), histogram.Counts, column.Missing, min, max),
                    Mean = column.Mean ?? 0,
                    StandardDeviation = std,
                };
            }
            else if (column.Top is { } top)
            {
                var kept = top.Sum(c => c.Count);
                features[column.Name] = new FeatureProfile
                {
                    Name = column.Name,
                    Kind = FeatureKind.Categorical,
                    Sketch = CategoricalSketch.FromCounts(column.Name, top.Select(c => KeyValuePair.Create(c.Value, c.Count)), column.Count - kept, column.Missing),
                };
            }
        }

        return new ReferenceProfile { Source = $"dataset {dataset.Name} v{dataset.Version}", RowCount = profile.RowCount, Features = features };
    }

    private async Task<ReferenceProfile> TrainingAsync(string model, string? version, CancellationToken cancellationToken)
    {
        long number;
        if (version is not null)
        {
            number = long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"version '{version}' is not a number");
        }
        else
        {
            var served = models.Versions(model);
            number = served.Count > 0 ? served.Max(v => v.Version) : throw new KeyNotFoundException($"model '{model}' is not being served");
        }

        if (await store.GetVersionAsync(model, number, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KeyNotFoundException($"reference 'training': model '{model}' version {number} is not in the registry, so its training data is not known");
        }

        var upstream = await lineage.UpstreamAsync(model, number, cancellationToken).ConfigureAwait(false);
        var training = upstream.Datasets.FirstOrDefault(d => d.Context is "train" or "training" && d.Dataset is not null)
            ?? (upstream.Datasets.Count(d => d.Dataset is not null) == 1 ? upstream.Datasets.First(d => d.Dataset is not null) : null)
            ?? throw new KeyNotFoundException($"reference 'training': the lineage of '{model}' version {number} names no training dataset");
        return FromDataset(training.Dataset!);
    }
}
