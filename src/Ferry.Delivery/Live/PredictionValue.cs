using System.Buffers.Binary;
using Ferry.Inference.Tensors;

namespace Ferry.Delivery.Live;

/// <summary>
/// The number a deployment's live statistics follow (prediction mean and drift, realised accuracy): the first element
/// of the model's prediction output (<see cref="PredictionOutputs"/>).
/// </summary>
public static class PredictionValue
{
    /// <summary>
    /// The first element of the output named <paramref name="prediction"/> as a double, or of the first output when
    /// the answer does not hold that one (the caller asked for others); NaN for no output or a non-numeric tensor.
    /// </summary>
    public static double Of(IReadOnlyList<InferTensor> outputs, string? prediction) =>
        Find(outputs, prediction) is { } tensor ? At(tensor, 0) : double.NaN;

    /// <summary>The output named <paramref name="prediction"/>, else the first; null when there is none.</summary>
    public static InferTensor? Find(IReadOnlyList<InferTensor> outputs, string? prediction)
    {
        if (prediction is not null)
        {
            for (var i = 0; i < outputs.Count; i++)
            {
                if (string.Equals(outputs[i].Name, prediction, StringComparison.Ordinal))
                {
                    return outputs[i];
                }
            }
        }

        return outputs.Count == 0 ? null : outputs[0];
    }

    /// <summary>Element <paramref name="index"/> as a double (a BOOL as 1 or 0); NaN for strings or an index out of range.</summary>
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
            DataType.Bool => bytes[index] != 0 ? 1 : 0,
            DataType.UInt8 => bytes[index],
            DataType.Int8 => (sbyte)bytes[index],
            DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(index * 2)..]),
            DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[(index * 2)..]),
            DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes[(index * 4)..]),
            DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes[(index * 8)..]),
            DataType.Fp16 => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes[(index * 2)..]),
            _ => double.NaN,
        };
    }
}
