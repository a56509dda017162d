using System.Diagnostics;
using System.Text.Json;
using Ferry.Inference.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ferry.Bench;

/// <summary>
/// The compute ceiling: ONNX Runtime called in-process on the same model and inputs, no network, no codec.
/// Prints one line: requests/s, p50 µs, p99 µs.
/// </summary>
internal static class RawOnnxRuntime
{
    public static int Run(string[] args)
    {
        var modelPath = Arguments.Get(args, "--model");
        var request = JsonDocument.Parse(File.ReadAllBytes(Arguments.Get(args, "--request")));
        var seconds = Arguments.GetInt(args, "--seconds", 10);
        var concurrency = Arguments.GetInt(args, "--concurrency", 1);
        var threads = Arguments.GetInt(args, "--threads", 1);
        var binaryPath = args.Contains("--binary") ? Arguments.Get(args, "--binary") : null;

        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(modelPath, options);
        var binary = binaryPath is null ? null : File.ReadAllBytes(binaryPath);
        var (names, values) = Inputs(session, request.RootElement, binary);
        using var runOptions = new RunOptions();
        // The outputs the request asks for, as the server would run; all tensor outputs when it names none.
        var outputs = request.RootElement.TryGetProperty("outputs", out var asked)
            ? asked.EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToArray()
            : session.OutputNames.Where(n => session.OutputMetadata[n].IsTensor).ToArray();

        // Warm up, then run for the given time on `concurrency` threads.
        for (var i = 0; i < 50; i++)
        {
            using var warm = session.Run(runOptions, names, values, outputs);
        }

        var latencies = new List<double>[concurrency];
        var stop = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => new Thread(() =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stop)
            {
                var start = Stopwatch.GetTimestamp();
                using var results = session.Run(runOptions, names, values, outputs);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        })).ToArray();
        var began = Stopwatch.GetTimestamp();
        foreach (var t in workers)
        {
            t.Start();
        }

        foreach (var t in workers)
        {
            t.Join();
        }

        var elapsed = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(FormattableString.Invariant($"{all.Length / elapsed:F0} {all[all.Length / 2]:F1} {all[(int)(all.Length * 0.99)]:F1}"));
        foreach (var v in values)
        {
            v.Dispose();
        }

        return 0;
    }

    /// <summary>Builds the model's inputs from an OIP JSON request body (and its binary section, if any).</summary>
    private static (string[] Names, OrtValue[] Values) Inputs(InferenceSession session, JsonElement request, byte[]? binary)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        var offset = 0;
        foreach (var input in request.GetProperty("inputs").EnumerateArray())
        {
            var name = input.GetProperty("name").GetString()!;
            var shape = input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var type = session.InputMetadata[name].ElementDataType;
            names.Add(name);
            if (binary is not null && input.TryGetProperty("parameters", out var p) && p.TryGetProperty("binary_data_size", out var size))
            {
                var bytes = binary.AsSpan(offset, size.GetInt32()).ToArray();
                offset += bytes.Length;
                var floats = new float[bytes.Length / 4];
                Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
                values.Add(OrtValue.CreateTensorValueFromMemory(floats, shape));
                continue;
            }

            var data = input.GetProperty("data").EnumerateArray().ToArray();
            values.Add(type switch
            {
                Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(data.Select(d => d.GetSingle()).ToArray(), shape),
                Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(data.Select(d => d.GetInt64()).ToArray(), shape),
                Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(data.Select(d => d.GetDouble()).ToArray(), shape),
                _ => throw new NotSupportedException($"input '{name}' of {type}: {Shapes.Format(shape)}"),
            });
        }

        return (names.ToArray(), values.ToArray());
    }
}
