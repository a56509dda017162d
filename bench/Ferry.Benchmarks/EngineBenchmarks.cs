using BenchmarkDotNet.Attributes;
using Ferry.Inference;
using Ferry.Inference.Models;
using Ferry.Inference.Tensors;
using Ferry.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Benchmarks;

/// <summary>
/// The engine's own cost per request (lease, validation, queue hop, ONNX Runtime run, result) on a tiny model,
/// with dynamic batching off and on, one request at a time and 64 at once.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private string _repository = "";
    private ModelManager _models = null!;
    private InferenceEngine _engine = null!;
    private InferTensor[] _inputs = [];

    [Params("plain", "batched")]
    public string Model { get; set; } = "plain";

    [GlobalSetup]
    public void Setup()
    {
        _repository = Directory.CreateTempSubdirectory("ferry-bench-").FullName;
        OnnxModelBuilder.AddFloats(width: 8).WriteTo(_repository, "plain");
        File.WriteAllText(Path.Combine(_repository, "plain", "config.json"), """{"max_batch_size": 64}""");
        OnnxModelBuilder.AddFloats(width: 8).WriteTo(_repository, "batched");
        File.WriteAllText(Path.Combine(_repository, "batched", "config.json"), """{"max_batch_size": 64, "dynamic_batching": {}}""");
        var options = new InferenceOptions { ModelRepositories = [_repository], IntraOpThreads = 1 };
        _models = new ModelManager(new ModelRepository(options.ModelRepositories), options, NullInferenceObserver.Instance, NullLogger<ModelManager>.Instance);
        _models.LoadAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        _engine = new InferenceEngine(_models, NullInferenceObserver.Instance);
        _inputs = [InferTensor.Allocate("a", DataType.Fp32, [1, 8]), InferTensor.Allocate("b", DataType.Fp32, [1, 8])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _models.Dispose();
        Directory.Delete(_repository, recursive: true);
    }

    [Benchmark]
    public async Task<int> OneRequest()
    {
        using var result = await _engine.InferAsync(Model, null, _inputs, null, CancellationToken.None);
        return result.Outputs.Count;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task<int> SixtyFourConcurrent()
    {
        var tasks = new Task<InferenceResult>[64];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = _engine.InferAsync(Model, null, _inputs, null, CancellationToken.None).AsTask();
        }

        var count = 0;
        foreach (var task in tasks)
        {
            using var result = await task;
            count += result.Outputs.Count;
        }

        return count;
    }
}
