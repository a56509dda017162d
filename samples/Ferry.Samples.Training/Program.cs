using System.Globalization;
using Ferry.Client;
using Ferry.Samples.Training;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tracking.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;

// Trains a FastTree regression of the day's highest temperature on Seattle weather, tracks the run on a Ferry server
// (params, metrics, the uploaded dataset), exports ONNX and registers it with its lineage.
//
//   dotnet run --project samples/Ferry.Samples.Training -- SERVER_URL CSV_PATH [FERRY_HOME]
//
// Registration goes through the registry in-process on FERRY_HOME's store (the server's, when it uses the default
// SQLite store there) until the registry's HTTP API is in the client.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Ferry.Samples.Training SERVER_URL CSV_PATH [FERRY_HOME]");
    return 2;
}

var cancel = CancellationToken.None;
var home = args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("FERRY_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ferry");
using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
var ferry = new FerryClient(http);

var dataset = await ferry.Datasets.UploadAsync("seattle-weather", args[1], cancel);
var experiment = await ferry.Tracking.EnsureExperimentAsync("seattle-temp-max", cancel);
var run = await ferry.Tracking.CreateRunAsync(experiment, "fasttree", cancel);
var settings = new Dictionary<string, string> { ["trainer"] = "FastTree", ["trees"] = "100", ["leaves"] = "20", ["test_fraction"] = "0.2", ["seed"] = "7" };
await ferry.Tracking.LogParamsAsync(run, settings, cancel);
await ferry.Tracking.LogInputAsync(run, dataset, "train", cancel);

var ml = new MLContext(seed: 7);
var days = ml.Data.LoadFromTextFile<WeatherDay>(args[1], separatorChar: ',', hasHeader: true);
var split = ml.Data.TrainTestSplit(days, testFraction: 0.2, seed: 7);
var pipeline = ml.Transforms.Concatenate("Features", "precipitation", "temp_min", "wind")
    .Append(ml.Regression.Trainers.FastTree(labelColumnName: "temp_max", numberOfLeaves: 20, numberOfTrees: 100));
var model = pipeline.Fit(split.TrainSet);
var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet), labelColumnName: "temp_max");
await ferry.Tracking.LogMetricsAsync(run, new Dictionary<string, double>
{
    ["rmse"] = metrics.RootMeanSquaredError,
    ["mae"] = metrics.MeanAbsoluteError,
    ["r2"] = metrics.RSquared,
}, 0, cancel);

var onnx = Path.Combine(Path.GetTempPath(), $"seattle-temp-max-{run}.onnx");
await using (var file = File.Create(onnx))
{
    ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(Array.Empty<WeatherFeatures>()), file);
}

await using var store = await MetadataStores.OpenAsync(null, home, null, cancel);
var registry = new ModelRegistry(store, new FileBlobStore(Path.Combine(home, "blobs")), TimeProvider.System, NullLogger<ModelRegistry>.Instance);
var version = await registry.RegisterAsync(new ModelRegistration
{
    ModelName = "seattle-temp-max", ArtifactPath = onnx, SourceRunId = run, DatasetVersionIds = [dataset.Id],
}, new ChangeContext("samples/Ferry.Samples.Training"), cancel);
await ferry.Tracking.SetTagsAsync(run, new Dictionary<string, string>
{
    ["ferry.model_version"] = $"seattle-temp-max/{version.Version.ToString(CultureInfo.InvariantCulture)}",
}, cancel);
await ferry.Tracking.EndRunAsync(run, "FINISHED", cancel);
File.Delete(onnx);

Console.WriteLine($"run {run}: rmse {metrics.RootMeanSquaredError:F3}, r2 {metrics.RSquared:F3}; " +
    $"dataset {dataset.Name} v{dataset.Version}; model seattle-temp-max v{version.Version}");
return 0;
