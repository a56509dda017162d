namespace Ferry.Monitoring.Log;

/// <summary>A copy of a request's or result's tensor, owned by the log: raw little-endian bytes, or decoded strings for BYTES.</summary>
public sealed record CapturedTensor(string Name, DataType DataType, long[] Shape, byte[] Bytes, string[]? Strings);
