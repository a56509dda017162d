using Ferry.Tests;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Server.Tests.RealModels;

/// <summary>
/// A FastTree regression of the day's highest temperature from precipitation, lowest temperature and wind,
/// trained with ML.NET on real Seattle weather; kept with its held-out rows so tests can ask ML.NET itself.
/// </summary>
public sealed class SeattleTempModel
{
    public static readonly string[] Features = ["precipitation", "temp_min", "wind"];

    private SeattleTempModel(MLContext ml, ITransformer model, IDataView test)
    {
        Ml = ml;
        Model = model;
        Test = test;
    }

    public MLContext Ml { get; }

    public ITransformer Model { get; }

    /// <summary>The fifth of the days held out of training.</summary>
    public IDataView Test { get; }

    public static SeattleTempModel Train()
    {
        var ml = new MLContext(seed: 7);
        var days = ml.Data.LoadFromTextFile<WeatherDay>(TestAssets.SeattleWeather, separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(days, testFraction: 0.2, seed: 7);
        var pipeline = ml.Transforms.Concatenate("Features", Features)
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "temp_max", numberOfLeaves: 20, numberOfTrees: 100));
        return new SeattleTempModel(ml, pipeline.Fit(split.TrainSet), split.TestSet);
    }

    /// <summary>Exports to ONNX with the feature columns as the only inputs.</summary>
    public void WriteOnnx(string path)
    {
        var inputs = Ml.Data.LoadFromEnumerable(Array.Empty<WeatherFeatures>());
        using var file = File.Create(path);
        Ml.Model.ConvertToOnnx(Model, inputs, file);
    }

    /// <summary>ML.NET's own predictions (the Score column) for the held-out days, in order.</summary>
    public float[] PredictTest() => Model.Transform(Test).GetColumn<float>("Score").ToArray();

    public float[] TestColumn(string name) => Test.GetColumn<float>(name).ToArray();
}
