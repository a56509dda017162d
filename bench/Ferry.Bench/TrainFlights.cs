using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Bench;

/// <summary>
/// Trains the benchmark's tree model: ML.NET FastTree regression of a flight's delay on its distance and hour,
/// on vega's flights-200k.json, exported to ONNX. Writes model.onnx and a batch-1 request body.
/// </summary>
internal static class TrainFlights
{
    public static int Run(string[] args)
    {
        var data = Arguments.Get(args, "--data");
        var output = Arguments.Get(args, "--out");
        Directory.CreateDirectory(output);

        var rows = JsonSerializer.Deserialize<List<FlightRow>>(File.ReadAllBytes(data))!;
        var ml = new MLContext(seed: 1);
        var training = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Concatenate("Features", "distance", "time")
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "delay", numberOfTrees: 100, numberOfLeaves: 31));
        var model = pipeline.Fit(training);

        // Export with the feature columns only, so the ONNX model's inputs are exactly what a client sends.
        var features = ml.Data.LoadFromEnumerable(rows.Take(10).Select(r => new FlightFeatures { Distance = r.Distance, Time = r.Time }));
        var path = Path.Combine(output, "model.onnx");
        using (var stream = File.Create(path + ".tmp"))
        {
            ml.Model.ConvertToOnnx(model, features, stream);
        }

        File.Move(path + ".tmp", path, overwrite: true);
        var sample = rows[12345];
        File.WriteAllText(Path.Combine(output, "request.json"), FormattableString.Invariant($$"""
            {"inputs": [{"name": "distance", "shape": [1, 1], "datatype": "FP32", "data": [{{sample.Distance}}]}, {"name": "time", "shape": [1, 1], "datatype": "FP32", "data": [{{sample.Time}}]}], "outputs": [{"name": "Score.output"}]}
            """).Trim());
        Console.WriteLine($"trained on {rows.Count} flights: {path}");
        return 0;
    }

    private sealed class FlightRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("delay")]
        [ColumnName("delay")]
        public float Delay { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("distance")]
        [ColumnName("distance")]
        public float Distance { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("time")]
        [ColumnName("time")]
        public float Time { get; set; }
    }

    private sealed class FlightFeatures
    {
        [ColumnName("distance")]
        public float Distance { get; set; }

        [ColumnName("time")]
        public float Time { get; set; }
    }
}
