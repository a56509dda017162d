using System.Text;
using BenchmarkDotNet.Attributes;
using Ferry.Inference;
using Ferry.Inference.Tensors;
using Ferry.Server.Oip;

namespace Ferry.Benchmarks;

/// <summary>Decoding requests and encoding responses of the REST protocol, JSON and binary.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private byte[] _smallJson = [];
    private byte[] _batchJson = [];
    private byte[] _binary = [];
    private int _binaryHeader;
    private InferRequest _request = null!;
    private InferenceResult _result = null!;

    [GlobalSetup]
    public void Setup()
    {
        _smallJson = Encoding.UTF8.GetBytes("""
            {"inputs": [{"name": "distance", "shape": [1, 1], "datatype": "FP32", "data": [1452]},
                        {"name": "time", "shape": [1, 1], "datatype": "FP32", "data": [7.25]}],
             "outputs": [{"name": "Score.output"}]}
            """);
        var values = string.Join(",", Enumerable.Range(0, 64 * 8).Select(i => (i * 0.37).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        _batchJson = Encoding.UTF8.GetBytes($$"""{"inputs": [{"name": "x", "shape": [64, 8], "datatype": "FP32", "data": [{{values}}]}]}""");
        var header = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "x", "shape": [1, 3, 48, 192], "datatype": "FP32", "parameters": {"binary_data_size": 110592}}]}""");
        _binaryHeader = header.Length;
        _binary = [.. header, .. new byte[110592]];

        _request = InferRequestReader.Read(_smallJson, null);
        var output = InferTensor.Allocate("Score.output", DataType.Fp32, [64, 1]);
        _result = new InferenceResult("flights", "1", [output]);
    }

    [Benchmark]
    public int ReadSmallJson()
    {
        using var request = InferRequestReader.Read(_smallJson, null);
        return request.Inputs.Count;
    }

    [Benchmark]
    public int ReadBatchJson()
    {
        using var request = InferRequestReader.Read(_batchJson, null);
        return request.Inputs[0].ElementCount;
    }

    [Benchmark]
    public int ReadBinaryImage()
    {
        using var request = InferRequestReader.Read(_binary, _binaryHeader);
        return request.Inputs[0].ByteLength;
    }

    [Benchmark]
    public int WriteResponse()
    {
        using var writer = new PooledBufferWriter();
        InferResponseWriter.Write(writer, _request, _result);
        return writer.WrittenCount;
    }
}
