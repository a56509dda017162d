using System.Diagnostics;
using System.Runtime.InteropServices;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;

namespace Ferry.Delivery.Gates;

/// <summary>
/// The gate's built-in benchmark: runs a loaded model in-process on inputs generated from its signature, batch 1,
/// <see cref="BenchmarkSettings.WarmupRuns"/> untimed then <see cref="BenchmarkSettings.TimedRuns"/> timed, through
/// the same <see cref="ModelVersion.InferAsync"/> path a served request takes.
/// </summary>
/// <remarks>
/// Memory is the growth of the process's resident set across loading and running (ONNX Runtime allocates natively,
/// so the managed heap alone would miss most of it). It is a process-wide figure: the caller runs one benchmark at a
/// time so that two models do not count each other's memory.
/// </remarks>
public static class ModelBenchmark
{
    /// <summary>The resident set size now, after a full collection so that managed garbage is not counted.</summary>
    public static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Times the runs; <paramref name="residentBefore"/> is <see cref="ResidentBytes"/> taken before loading.</summary>
    public static async Task<BenchmarkResult> RunAsync(ModelVersion model, BenchmarkSettings settings, long residentBefore, CancellationToken cancellationToken)
    {
        var inputs = GenerateInputs(model.Signature, settings.DynamicDimension);
        var timings = new double[settings.TimedRuns];
        try
        {
            for (var i = 0; i < settings.WarmupRuns; i++)
            {
                await RunOnceAsync(model, inputs, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < timings.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await RunOnceAsync(model, inputs, cancellationToken).ConfigureAwait(false);
                timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }

        Array.Sort(timings);
        return new BenchmarkResult
        {
            Runs = timings.Length,
            P50 = TimeSpan.FromMilliseconds(Percentile(timings, 0.50)),
            P99 = TimeSpan.FromMilliseconds(Percentile(timings, 0.99)),
            LoadTime = model.LoadTime,
            MemoryBytes = Math.Max(0, ResidentBytes() - residentBefore),
        };
    }

    /// <summary>The nearest-rank percentile of sorted values: the smallest value with at least q of them at or below it.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>One tensor per input: dynamic first dimension 1, other dynamic ones <paramref name="dynamic"/>, values from a fixed seed.</summary>
    public static List<InferTensor> GenerateInputs(ModelSignature signature, int dynamic)
    {
        var random = new Random(17);
        var tensors = new List<InferTensor>(signature.Inputs.Count);
        foreach (var spec in signature.Inputs)
        {
            var shape = new long[spec.Shape.Length];
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = spec.Shape[d] >= 0 ? spec.Shape[d] : d == 0 ? 1 : dynamic;
            }

            if (spec.DataType == DataType.Bytes)
            {
                var count = 1;
                foreach (var d in shape)
                {
                    count = checked(count * (int)d);
                }

                var strings = new byte[count][];
                for (var i = 0; i < count; i++)
                {
                    strings[i] = "ferry"u8.ToArray();
                }

                tensors.Add(InferTensor.FromStrings(spec.Name, shape, strings));
                continue;
            }

            var tensor = InferTensor.Allocate(spec.Name, spec.DataType, shape);
            Fill(tensor, random);
            tensors.Add(tensor);
        }

        return tensors;
    }

    private static void Fill(InferTensor tensor, Random random)
    {
        switch (tensor.DataType)
        {
            case DataType.Fp32:
                foreach (ref var v in MemoryMarshal.Cast<byte, float>(tensor.Bytes))
                {
                    v = random.NextSingle();
                }

                break;
            case DataType.Fp64:
                foreach (ref var v in MemoryMarshal.Cast<byte, double>(tensor.Bytes))
                {
                    v = random.NextDouble();
                }

                break;
            default:
                // Integers and booleans stay zero: a valid index or flag for any model (token ids, categories).
                break;
        }
    }

    private static async Task RunOnceAsync(ModelVersion model, IReadOnlyList<InferTensor> inputs, CancellationToken cancellationToken)
    {
        var outputs = await model.InferAsync(inputs, null, cancellationToken).ConfigureAwait(false);
        foreach (var output in outputs)
        {
            output.Dispose();
        }
    }
}
