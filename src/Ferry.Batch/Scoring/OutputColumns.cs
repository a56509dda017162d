using System.Runtime.InteropServices;
using System.Text;
using Ferry.Batch.Io;
using Ferry.Inference.Tensors;
using Parquet.Schema;

namespace Ferry.Batch.Scoring;

/// <summary>
/// Turns an output tensor into nullable typed columns (<c>float?[]</c>, <c>long?[]</c>, <c>string?[]</c>, ...), one per
/// column of its binding, keeping only the rows a mask keeps and writing null for the rows marked null.
/// </summary>
public static class OutputColumns
{
    public static IEnumerable<ChunkColumn> Extract(OutputBinding binding, InferTensor tensor, bool[]? keep, int kept, bool[]? nulls)
    {
        for (var j = 0; j < binding.Width; j++)
        {
            Array values = tensor.DataType switch
            {
                DataType.Fp32 => Column(MemoryMarshal.Cast<byte, float>(tensor.Bytes), binding.Width, j, keep, kept, nulls),
                DataType.Fp64 => Column(MemoryMarshal.Cast<byte, double>(tensor.Bytes), binding.Width, j, keep, kept, nulls),
                DataType.Int64 => Column(MemoryMarshal.Cast<byte, long>(tensor.Bytes), binding.Width, j, keep, kept, nulls),
                DataType.Int32 => Column(MemoryMarshal.Cast<byte, int>(tensor.Bytes), binding.Width, j, keep, kept, nulls),
                DataType.Bool => Column(MemoryMarshal.Cast<byte, bool>(tensor.Bytes), binding.Width, j, keep, kept, nulls),
                DataType.Bytes => Strings(tensor.Strings!, binding.Width, j, keep, kept, nulls),
                _ => throw new BatchUsageException($"model output '{binding.Spec.Name}' is {tensor.DataType}, which batch scoring does not write"),
            };
            yield return new ChunkColumn { Name = binding.Columns[j], Kind = ColumnKind.Typed, Values = values, Field = Field(binding.Columns[j], tensor.DataType) };
        }
    }

    /// <summary>The Parquet field of an output column; always optional, so that <see cref="ErrorPolicy.Null"/> fits.</summary>
    public static DataField Field(string name, DataType type) => new(name, type switch
    {
        DataType.Fp32 => typeof(float),
        DataType.Fp64 => typeof(double),
        DataType.Int64 => typeof(long),
        DataType.Int32 => typeof(int),
        DataType.Bool => typeof(bool),
        _ => typeof(string),
    }, isNullable: true);

    private static T?[] Column<T>(ReadOnlySpan<T> data, int width, int j, bool[]? keep, int kept, bool[]? nulls)
        where T : struct
    {
        var result = new T?[kept];
        var target = 0;
        var rows = data.Length / width;
        for (var i = 0; i < rows; i++)
        {
            if (keep is not null && !keep[i])
            {
                continue;
            }

            result[target++] = nulls is not null && nulls[i] ? null : data[i * width + j];
        }

        return result;
    }

    private static string?[] Strings(byte[][] data, int width, int j, bool[]? keep, int kept, bool[]? nulls)
    {
        var result = new string?[kept];
        var target = 0;
        for (var i = 0; i < data.Length / width; i++)
        {
            if (keep is not null && !keep[i])
            {
                continue;
            }

            result[target++] = nulls is not null && nulls[i] ? null : Encoding.UTF8.GetString(data[i * width + j]);
        }

        return result;
    }
}
