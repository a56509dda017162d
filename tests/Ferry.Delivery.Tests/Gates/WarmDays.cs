using System.Globalization;
using System.Text;
using Ferry.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Delivery.Tests.Gates;

/// <summary>
/// Real Seattle weather turned into a binary task: was the day warm (temp_max above 15 °C), from precipitation,
/// temp_min and wind. Every fifth day is held out as the evaluation set; ML.NET trains FastTree classifiers on the
/// rest and exports them to ONNX, and its own evaluator gives the AUC the gate must reproduce.
/// </summary>
public sealed class WarmDays
{
    public const string Label = "warm";

    private readonly MLContext _ml = new(seed: 11);

    public WarmDays()
    {
        var rows = Read(TestAssets.SeattleWeather);
        Train = rows.Where((_, i) => i % 5 != 0).ToArray();
        Evaluation = rows.Where((_, i) => i % 5 == 0).ToArray();
    }

    public IReadOnlyList<Day> Train { get; }

    public IReadOnlyList<Day> Evaluation { get; }

    /// <summary>Trains on the training days; <paramref name="label"/> picks what it learns (a wrong one makes a bad model).</summary>
    public ITransformer Fit(int trees, int leaves, Func<Day, bool>? label = null)
    {
        var rows = Train.Select(d => d with { Warm = (label ?? (x => x.Warm))(d) });
        var data = _ml.Data.LoadFromEnumerable(rows);
        var pipeline = _ml.Transforms.Concatenate("Features", "precipitation", "temp_min", "wind")
            .Append(_ml.BinaryClassification.Trainers.FastTree(labelColumnName: Label, numberOfTrees: trees, numberOfLeaves: leaves, minimumExampleCountPerLeaf: 5));
        return pipeline.Fit(data);
    }

    /// <summary>ML.NET's own AUC of the model on the evaluation days.</summary>
    public double Auc(ITransformer model) =>
        _ml.BinaryClassification.Evaluate(model.Transform(_ml.Data.LoadFromEnumerable(Evaluation)), labelColumnName: Label).AreaUnderRocCurve;

    public void WriteOnnx(ITransformer model, string path)
    {
        using var file = File.Create(path);
        _ml.Model.ConvertToOnnx(model, _ml.Data.LoadFromEnumerable(Array.Empty<Features>()), file);
    }

    /// <summary>The evaluation days as CSV with the label as 0/1.</summary>
    public string EvaluationCsv()
    {
        var csv = new StringBuilder("precipitation,temp_min,wind,warm\n");
        foreach (var d in Evaluation)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{d.Precipitation},{d.TempMin},{d.Wind},{(d.Warm ? 1 : 0)}\n");
        }

        return csv.ToString();
    }

    private static Day[] Read(string path) => File.ReadLines(path).Skip(1).Select(line =>
    {
        var f = line.Split(',');
        float F(int i) => float.Parse(f[i], CultureInfo.InvariantCulture);
        return new Day { Precipitation = F(1), TempMax = F(2), TempMin = F(3), Wind = F(4), Warm = F(2) > 15 };
    }).ToArray();

    /// <summary>A day: features, the temperature the label comes from, and the label.</summary>
    public sealed record Day
    {
        [ColumnName("precipitation")]
        public float Precipitation { get; init; }

        [NoColumn]
        public float TempMax { get; init; }

        [ColumnName("temp_min")]
        public float TempMin { get; init; }

        [ColumnName("wind")]
        public float Wind { get; init; }

        [ColumnName(Label)]
        public bool Warm { get; init; }
    }

    /// <summary>The ONNX export's input schema: the features only.</summary>
    public sealed class Features
    {
        [ColumnName("precipitation")]
        public float Precipitation { get; set; }

        [ColumnName("temp_min")]
        public float TempMin { get; set; }

        [ColumnName("wind")]
        public float Wind { get; set; }
    }
}
