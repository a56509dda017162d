using Ferry.Server.Grpc.Protocol;

namespace Ferry.Server.Grpc;

/// <summary>Which field of <see cref="InferTensorContents"/> carries which datatype, by the protocol's names.</summary>
internal static class GrpcContents
{
    /// <summary>The field that holds elements of <paramref name="type"/>; null for FP16, which travels only raw.</summary>
    public static string? FieldFor(DataType type) => type switch
    {
        DataType.Bool => "bool_contents",
        DataType.Int8 or DataType.Int16 or DataType.Int32 => "int_contents",
        DataType.Int64 => "int64_contents",
        DataType.UInt8 or DataType.UInt16 or DataType.UInt32 => "uint_contents",
        DataType.UInt64 => "uint64_contents",
        DataType.Fp32 => "fp32_contents",
        DataType.Fp64 => "fp64_contents",
        DataType.Bytes => "bytes_contents",
        _ => null,
    };

    /// <summary>The number of elements in the field for <paramref name="type"/>.</summary>
    public static int CountIn(InferTensorContents contents, DataType type) => type switch
    {
        DataType.Bool => contents.BoolContents.Count,
        DataType.Int8 or DataType.Int16 or DataType.Int32 => contents.IntContents.Count,
        DataType.Int64 => contents.Int64Contents.Count,
        DataType.UInt8 or DataType.UInt16 or DataType.UInt32 => contents.UintContents.Count,
        DataType.UInt64 => contents.Uint64Contents.Count,
        DataType.Fp32 => contents.Fp32Contents.Count,
        DataType.Fp64 => contents.Fp64Contents.Count,
        DataType.Bytes => contents.BytesContents.Count,
        _ => 0,
    };

    /// <summary>The first non-empty field, described with its count, e.g. <c>"2 elements in fp32_contents"</c>; null when all are empty.</summary>
    public static string? FirstUsed(InferTensorContents contents) => FirstUsedOtherThan(contents, null);

    public static string? FirstUsedOtherThan(InferTensorContents contents, string? allowed)
    {
        Span<(string Field, int Count)> fields =
        [
            ("bool_contents", contents.BoolContents.Count),
            ("int_contents", contents.IntContents.Count),
            ("int64_contents", contents.Int64Contents.Count),
            ("uint_contents", contents.UintContents.Count),
            ("uint64_contents", contents.Uint64Contents.Count),
            ("fp32_contents", contents.Fp32Contents.Count),
            ("fp64_contents", contents.Fp64Contents.Count),
            ("bytes_contents", contents.BytesContents.Count),
        ];
        foreach (var (field, count) in fields)
        {
            if (count > 0 && field != allowed)
            {
                return $"{count} elements in {field}";
            }
        }

        return null;
    }
}
