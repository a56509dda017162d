using Microsoft.ML;

namespace Ferry.Examples;

/// <summary>
/// The example model: a FastTree regression that predicts a taxi fare from distance, duration and passengers,
/// trained with ML.NET on <see cref="TaxiTrips"/> and exported to ONNX.
/// </summary>
public static class FareModel
{
    public const string Label = "fare";

    public static readonly string[] Features = ["distance_km", "duration_min", "passengers"];

    /// <summary>Trains on <paramref name="trainRows"/> synthetic trips and scores a held-out fifth.</summary>
    public static (ITransformer Model, FareModelReport Report) Train(int trainRows = 4000, int seed = TaxiTrips.DefaultSeed)
    {
        var ml = new MLContext(seed);
        var rows = TaxiTrips.Generate(trainRows + (trainRows / 4), seed);
        var train = ml.Data.LoadFromEnumerable(rows.Take(trainRows));
        var test = ml.Data.LoadFromEnumerable(rows.Skip(trainRows));
        var pipeline = ml.Transforms.Concatenate("Features", Features)
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: Label, numberOfLeaves: 16, numberOfTrees: 100, minimumExampleCountPerLeaf: 10));
        var model = pipeline.Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test), labelColumnName: Label);
        return (model, new FareModelReport(trainRows, rows.Count - trainRows, metrics.RootMeanSquaredError, metrics.RSquared));
    }

    /// <summary>Writes <paramref name="model"/> as ONNX; its inputs are the three feature columns only (no label).</summary>
    public static void ExportOnnx(ITransformer model, Stream output)
    {
        var ml = new MLContext();
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<TaxiTrip>());
        ml.Model.ConvertToOnnx(model, schema, output);
    }
}

/// <summary>How the example model was trained and how well it does on held-out trips.</summary>
public sealed record FareModelReport(int TrainRows, int TestRows, double RootMeanSquaredError, double RSquared);
