using System.Buffers.Binary;

namespace Ferry.Monitoring.Log;

/// <summary>Reads one element of a captured tensor as a double, whatever its type (the log stores numbers as doubles).</summary>
public static class TensorValues
{
    public static double Read(DataType dataType, ReadOnlySpan<byte> b, int index) => dataType switch
    {
        DataType.Bool => b[index] != 0 ? 1 : 0,
        DataType.UInt8 => b[index],
        DataType.Int8 => (sbyte)b[index],
        DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b[(index * 2)..]),
        DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b[(index * 2)..]),
        DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b[(index * 4)..]),
        DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b[(index * 4)..]),
        DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b[(index * 8)..]),
        DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b[(index * 8)..]),
        DataType.Fp16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b[(index * 2)..]),
        DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(b[(index * 4)..]),
        DataType.Fp64 => BinaryPrimitives.ReadDoubleLittleEndian(b[(index * 8)..]),
        _ => double.NaN,
    };
}
