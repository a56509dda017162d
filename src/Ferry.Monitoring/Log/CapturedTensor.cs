namespace Ferry.Monitoring.Log;

/// <summary>A tensor of a <see cref="CapturedPrediction"/>: raw little-endian bytes, or strings for BYTES.</summary>
public sealed record CapturedTensor(string Name, DataType DataType, long[] Shape, byte[] Bytes, string[]? Strings);
