using Ferry.Examples;
using Ferry.Tests;
using Microsoft.ML;

namespace Ferry.Server.Tests.RealModels;

/// <summary>
/// A server over real models: PaddleOCR's classifier and recogniser from the npm package, the example fare model
/// and a FastTree model trained here on Seattle weather, both exported by ML.NET.
/// </summary>
public sealed class RealModelsFixture : FerryServerFixture, IAsyncLifetime
{
    public const string Classifier = "ocr_cls";
    public const string Recognizer = "ocr_rec";
    public const string SeattleTemp = "seattle_temp_max";
    public const string Example = "example";

    /// <summary>Trained in <see cref="WriteModels"/>; the tests ask it for ML.NET's own predictions.</summary>
    public SeattleTempModel Seattle { get; private set; } = null!;

    public ITransformer Fare { get; private set; } = null!;

    /// <summary>The ONNX file served under each model name, for ONNX Runtime to run directly.</summary>
    public string ModelPath(string name) => Path.Combine(Repository, name, "1", "model.onnx");

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void WriteModels(string repository)
    {
        Copy(TestAssets.OcrClassifier, Classifier);
        Copy(TestAssets.OcrRecognizer, Recognizer);

        Seattle = SeattleTempModel.Train();
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath(SeattleTemp))!);
        Seattle.WriteOnnx(ModelPath(SeattleTemp));

        Fare = FareModel.Train().Model;
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath(Example))!);
        using var file = File.Create(ModelPath(Example));
        FareModel.ExportOnnx(Fare, file);
    }

    private void Copy(string source, string name)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath(name))!);
        File.Copy(source, ModelPath(name));
    }
}

[CollectionDefinition(Name)]
public sealed class RealModelsCollection : ICollectionFixture<RealModelsFixture>
{
    public const string Name = "real models";
}
