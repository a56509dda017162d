using System.Buffers.Binary;
using Ferry.Inference.Tensors;

namespace Ferry.Delivery.Live;

/// <summary>The number the drift check and the shadow comparison follow: the first element of the first output.</summary>
public static class PredictionValue
{
    /// <summary>The first element as a double; NaN for an empty or non-numeric tensor.</summary>
    public static double First(IReadOnlyList<InferTensor> outputs) => outputs.Count == 0 ? double.NaN : At(outputs[0], 0);

    /// <summary>Element <paramref name="index"/> as a double; NaN for non-numeric tensors or an index out of range.</summary>
    public static double At(InferTensor tensor, int index)
    {
        if (index >= tensor.ElementCount)
        {
            return double.NaN;
        }

        var bytes = tensor.Bytes;
        return tensor.DataType switch
        {
            DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(index * 4)..]),
            DataType.Fp64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes[(index * 8)..]),
            DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(index * 8)..]),
            DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(index * 4)..]),
            _ => double.NaN,
        };
    }
}
