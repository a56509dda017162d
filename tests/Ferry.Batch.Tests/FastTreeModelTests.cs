using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Batch.Tests;

/// <summary>A real tabular model: ML.NET FastTree trained as bench/Ferry.Bench/TrainFlights.cs does, exported to ONNX.</summary>
public sealed class FastTreeModelTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Run_WithFastTreeModel_EqualsOnnxRuntimeCalledDirectly()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 2000).Select(_ =>
        {
            var distance = (float)random.Next(100, 3000);
            var time = (float)Math.Round(random.NextDouble() * 24, 2);
            return new Flight { Distance = distance, Time = time, Delay = distance / 100 + time * 2 + (float)random.NextDouble() * 5 };
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Concatenate("Features", "distance", "time")
            .Append(ml.Regression.Trainers.FastTree(labelColumnName: "delay", numberOfTrees: 20, numberOfLeaves: 8))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        var modelPath = Path.Combine(_ws.Repository, "flights", "1", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        using (var stream = File.Create(modelPath))
        {
            ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(rows.Take(10).Select(r => new Features { Distance = r.Distance, Time = r.Time })), stream);
        }

        var input = _ws.PathOf("flights.csv");
        await File.WriteAllLinesAsync(input, ["distance,time", .. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Distance:R},{r.Time:R}"))]);
        var output = _ws.PathOf("scored.parquet");

        await _ws.Runner().RunAsync(new BatchJobSpec { Model = "flights", Input = input, Output = output, Outputs = ["Score.output"], ChunkRows = 512, IntraOpThreads = 1 }, null, CancellationToken.None);

        var expected = DirectOnnx.Run(modelPath, new Dictionary<string, float[]> { ["distance"] = rows.Select(r => r.Distance).ToArray(), ["time"] = rows.Select(r => r.Time).ToArray() }, "Score.output");
        var scored = (await OutputTable.ReadAsync(output)).Select(r => float.Parse(r["Score.output"]!, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected, scored);
    }

    private sealed class Flight
    {
        [ColumnName("distance")]
        public float Distance { get; set; }

        [ColumnName("time")]
        public float Time { get; set; }

        [ColumnName("delay")]
        public float Delay { get; set; }
    }

    private sealed class Features
    {
        [ColumnName("distance")]
        public float Distance { get; set; }

        [ColumnName("time")]
        public float Time { get; set; }
    }
}
