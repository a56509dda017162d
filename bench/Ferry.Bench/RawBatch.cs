using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Parquet;
using Parquet.Schema;

namespace Ferry.Bench;

/// <summary>
/// The batch benchmark's reference: reads the same Parquet row groups and runs ONNX Runtime directly on each one as
/// a batch, with the same thread count as Ferry, writing nothing. Prints "RAW rows seconds".
/// </summary>
internal static class RawBatch
{
    public static async Task<int> RunAsync(string[] args)
    {
        var model = Arguments.Get(args, "--model");
        var input = Arguments.Get(args, "--input");

        // COLUMN=INPUT pairs, as ferry batch's --map: each model input is fed from one float-convertible column.
        var feeds = Arguments.Get(args, "--feed").Split(',').Select(p => p.Split('=')).ToArray();
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        var started = Stopwatch.GetTimestamp();
        long rows = 0;
        await using var stream = File.OpenRead(input);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var values = new List<OrtValue>();
            foreach (var feed in feeds)
            {
                var field = fields.Single(f => f.Name == feed[0]);
                values.Add(OrtValue.CreateTensorValueFromMemory(await ReadFloatsAsync(group, field, n), [n, 1]));
            }

            using (var results = session.Run(new RunOptions(), feeds.Select(f => f[1]).ToArray(), values, session.OutputNames))
            {
                rows += n;
            }

            foreach (var v in values)
            {
                v.Dispose();
            }
        }

        Console.WriteLine(FormattableString.Invariant($"RAW {rows} {Stopwatch.GetElapsedTime(started).TotalSeconds:F3}"));
        return 0;
    }

    private static Task<float[]> ReadFloatsAsync(ParquetRowGroupReader group, DataField field, int n) => field.ClrType switch
    {
        var t when t == typeof(float) => ReadAsync<float>(group, field, n),
        var t when t == typeof(double) => ReadAsync<double>(group, field, n),
        var t when t == typeof(short) => ReadAsync<short>(group, field, n),
        var t when t == typeof(int) => ReadAsync<int>(group, field, n),
        var t when t == typeof(long) => ReadAsync<long>(group, field, n),
        _ => throw new NotSupportedException($"column {field.Name} is {field.ClrType}"),
    };

    private static async Task<float[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct, System.Numerics.INumberBase<T>
    {
        var result = new float[n];
        if (field.IsNullable)
        {
            var raw = new T?[n];
            await group.ReadAsync<T>(field, raw.AsMemory());
            for (var i = 0; i < n; i++)
            {
                result[i] = raw[i] is { } v ? float.CreateTruncating(v) : float.NaN;
            }
        }
        else
        {
            var raw = new T[n];
            await group.ReadAsync<T>(field, raw.AsMemory());
            for (var i = 0; i < n; i++)
            {
                result[i] = float.CreateTruncating(raw[i]);
            }
        }

        return result;
    }
}
