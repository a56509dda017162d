namespace Ferry.Delivery.Gates;

/// <summary>Where and how gates run.</summary>
public sealed class GateOptions
{
    /// <summary>Local copies of the artifacts being checked, one per digest. Default: a folder under the temp path.</summary>
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "ferry-gates");

    /// <summary>ONNX Runtime threads inside one operator while benchmarking and scoring. Default 1: the figure of one request.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
