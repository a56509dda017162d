using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Inference.Tensors;

/// <summary>Maps ONNX element types to protocol data types and back.</summary>
public static class OnnxTypes
{
    public static bool TryFromOnnx(TensorElementType type, out DataType dataType)
    {
        DataType? mapped = type switch
        {
            TensorElementType.Bool => DataType.Bool,
            TensorElementType.UInt8 => DataType.UInt8,
            TensorElementType.UInt16 => DataType.UInt16,
            TensorElementType.UInt32 => DataType.UInt32,
            TensorElementType.UInt64 => DataType.UInt64,
            TensorElementType.Int8 => DataType.Int8,
            TensorElementType.Int16 => DataType.Int16,
            TensorElementType.Int32 => DataType.Int32,
            TensorElementType.Int64 => DataType.Int64,
            TensorElementType.Float16 => DataType.Fp16,
            TensorElementType.Float => DataType.Fp32,
            TensorElementType.Double => DataType.Fp64,
            TensorElementType.String => DataType.Bytes,
            _ => null,
        };
        dataType = mapped ?? default;
        return mapped.HasValue;
    }

    public static TensorElementType ToOnnx(DataType dataType) => dataType switch
    {
        DataType.Bool => TensorElementType.Bool,
        DataType.UInt8 => TensorElementType.UInt8,
        DataType.UInt16 => TensorElementType.UInt16,
        DataType.UInt32 => TensorElementType.UInt32,
        DataType.UInt64 => TensorElementType.UInt64,
        DataType.Int8 => TensorElementType.Int8,
        DataType.Int16 => TensorElementType.Int16,
        DataType.Int32 => TensorElementType.Int32,
        DataType.Int64 => TensorElementType.Int64,
        DataType.Fp16 => TensorElementType.Float16,
        DataType.Fp32 => TensorElementType.Float,
        DataType.Fp64 => TensorElementType.Double,
        DataType.Bytes => TensorElementType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType)),
    };
}
