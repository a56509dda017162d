using System.Globalization;
using System.Text;
using Ferry.Batch.Io;
using Ferry.Storage;
using Ferry.Storage.Blobs;
using Ferry.Tests;
using Ferry.Tracking.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Parquet;

namespace Ferry.Cli.Tests.Commands.Batch;

/// <summary>
/// Two versions of a "fare" model over the same inputs (a, b as [N,1] FP32) that answer differently: version 1 is
/// a + b, version 2 is a * b + a. Registered in a home's store and blob folder the way <c>ferry serve</c> keeps them.
/// </summary>
public static class FareModels
{
    public static OnnxModelBuilder Version(int version)
    {
        var builder = new OnnxModelBuilder()
            .Input("a", DataType.Fp32, null, 1)
            .Input("b", DataType.Fp32, null, 1)
            .Output("fare", DataType.Fp32, null, 1);
        return version == 1
            ? builder.Node("Add", ["a", "b"], ["fare"])
            : builder.Node("Mul", ["a", "b"], ["ab"]).Node("Add", ["ab", "a"], ["fare"]);
    }

    /// <summary>Registers both versions in the home's registry; returns each version's ONNX file as registered.</summary>
    public static async Task<string[]> RegisterAsync(string home, string folder)
    {
        await using var store = await MetadataStores.OpenAsync(null, home, null, CancellationToken.None);
        var registry = new ModelRegistry(store, new FileBlobStore(Path.Combine(home, "blobs")), TimeProvider.System, NullLogger<ModelRegistry>.Instance);
        var files = new string[2];
        for (var v = 1; v <= 2; v++)
        {
            files[v - 1] = Version(v).WriteTo(folder, "fare", v);
            var record = await registry.RegisterAsync(new ModelRegistration { ModelName = "fare", ArtifactPath = files[v - 1] }, new ChangeContext("test"), CancellationToken.None);
            Assert.Equal(v, record.Version);
        }

        return files;
    }

    public static async Task SetAliasAsync(string home, string alias, long version)
    {
        await using var store = await MetadataStores.OpenAsync(null, home, null, CancellationToken.None);
        var registry = new ModelRegistry(store, new FileBlobStore(Path.Combine(home, "blobs")), TimeProvider.System, NullLogger<ModelRegistry>.Instance);
        await registry.SetAliasAsync("fare", alias, version, new ChangeContext("test"), CancellationToken.None);
    }

    /// <summary>Rows id, a, b with a seeded generator.</summary>
    public static (float[] A, float[] B) WriteInput(string path, int rows)
    {
        var random = new Random(11);
        var a = new float[rows];
        var b = new float[rows];
        var csv = new StringBuilder("id,a,b\n");
        for (var i = 0; i < rows; i++)
        {
            a[i] = MathF.Round((float)random.NextDouble() * 50, 3);
            b[i] = MathF.Round((float)random.NextDouble() * 4 - 2, 3);
            csv.Append(CultureInfo.InvariantCulture, $"{i},{a[i]:R},{b[i]:R}\n");
        }

        File.WriteAllText(path, csv.ToString());
        return (a, b);
    }

    /// <summary>The reference: ONNX Runtime on the model file, no Ferry code in between.</summary>
    public static float[] Score(string modelPath, float[] a, float[] b)
    {
        using var session = new InferenceSession(modelPath);
        using var va = OrtValue.CreateTensorValueFromMemory(a, [a.Length, 1]);
        using var vb = OrtValue.CreateTensorValueFromMemory(b, [b.Length, 1]);
        using var results = session.Run(new RunOptions(), ["a", "b"], [va, vb], ["fare"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Reads one float column of a Parquet output, in row order.</summary>
    public static async Task<float[]> ReadColumnAsync(string path, string column)
    {
        var values = new List<float>();
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var field = reader.Schema.GetDataFields().Single(f => f.Name == column);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var array = await ParquetColumns.ReadAsync(group, field, (int)group.RowCount, CancellationToken.None);
            foreach (var value in array)
            {
                values.Add(Convert.ToSingle(value, CultureInfo.InvariantCulture));
            }
        }

        return values.ToArray();
    }
}
