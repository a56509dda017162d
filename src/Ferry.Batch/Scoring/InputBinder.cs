using System.Runtime.InteropServices;
using System.Text;
using Ferry.Batch.Io;
using Ferry.Inference.Tensors;

namespace Ferry.Batch.Scoring;

/// <summary>
/// Turns a chunk's columns into the model's input tensors and finds the rows the model cannot take. Bad rows are
/// filled with zeros so the batch keeps its shape; their outputs are dropped or written as nulls.
/// </summary>
/// <remarks>
/// A missing value in a floating-point input becomes NaN, which tree ensembles (ML.NET, LightGBM, XGBoost) read as
/// "missing"; integer, boolean and string inputs cannot hold it, so there it makes the row bad.
/// </remarks>
public static class InputBinder
{
    /// <returns>The input tensors; the caller owns and disposes them.</returns>
    public static List<InferTensor> Bind(ScoringPlan plan, DataChunk chunk, BadRows bad)
    {
        foreach (var error in chunk.RowErrors)
        {
            bad.Add(error.RowInChunk, error.Column, error.Reason);
        }

        var tensors = new List<InferTensor>(plan.Inputs.Count);
        try
        {
            foreach (var input in plan.Inputs)
            {
                tensors.Add(BindInput(input, chunk, bad));
            }

            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    private static InferTensor BindInput(InputBinding input, DataChunk chunk, BadRows bad)
    {
        var rows = chunk.RowCount;
        var width = input.Width;
        long[] shape = input.Spec.Shape.Length == 1 ? [rows] : [rows, width];
        if (input.Spec.DataType == DataType.Bytes)
        {
            return BindStrings(input, chunk, shape, bad);
        }

        var tensor = InferTensor.Allocate(input.Spec.Name, input.Spec.DataType, shape);
        var values = new double[rows];
        var missing = new bool[rows];
        for (var j = 0; j < width; j++)
        {
            var column = Column(chunk, input.Columns[j], input.Spec.Name);
            Array.Clear(missing);
            CellReader.ReadNumbers(column, values, missing, bad);
            switch (input.Spec.DataType)
            {
                case DataType.Fp32:
                    Store(MemoryMarshal.Cast<byte, float>(tensor.Bytes), values, missing, width, j, float.NaN);
                    break;
                case DataType.Fp64:
                    Store(MemoryMarshal.Cast<byte, double>(tensor.Bytes), values, missing, width, j, double.NaN);
                    break;
                default:
                    StoreIntegral(tensor, values, missing, width, j, column.Name, bad);
                    break;
            }
        }

        return tensor;
    }

    private static void Store(Span<float> target, double[] values, bool[] missing, int width, int j, float nan)
    {
        for (var i = 0; i < values.Length; i++)
        {
            target[i * width + j] = missing[i] ? nan : (float)values[i];
        }
    }

    private static void Store(Span<double> target, double[] values, bool[] missing, int width, int j, double nan)
    {
        for (var i = 0; i < values.Length; i++)
        {
            target[i * width + j] = missing[i] ? nan : values[i];
        }
    }

    private static void StoreIntegral(InferTensor tensor, double[] values, bool[] missing, int width, int j, string column, BadRows bad)
    {
        var type = tensor.DataType;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (missing[i])
            {
                bad.Add(i, column, $"no value, and the model input '{tensor.Name}' ({type}) cannot take a missing value");
                continue;
            }

            if (double.IsNaN(v) || double.IsInfinity(v))
            {
                bad.Add(i, column, $"{v} where the model input '{tensor.Name}' ({type}) needs a finite whole number");
                continue;
            }

            if (v != Math.Floor(v) || (type == DataType.Bool && v is not (0 or 1)))
            {
                bad.Add(i, column, $"{v} is not a valid {type} for the model input '{tensor.Name}'");
                continue;
            }

            var index = i * width + j;
            switch (type)
            {
                case DataType.Int64:
                    MemoryMarshal.Cast<byte, long>(tensor.Bytes)[index] = (long)v;
                    break;
                case DataType.Int32 when v is >= int.MinValue and <= int.MaxValue:
                    MemoryMarshal.Cast<byte, int>(tensor.Bytes)[index] = (int)v;
                    break;
                case DataType.Bool:
                    tensor.Bytes[index] = (byte)v;
                    break;
                default:
                    bad.Add(i, column, $"{v} is out of range for the model input '{tensor.Name}' ({type})");
                    break;
            }
        }
    }

    private static InferTensor BindStrings(InputBinding input, DataChunk chunk, long[] shape, BadRows bad)
    {
        var rows = chunk.RowCount;
        var width = input.Width;
        var elements = new byte[rows * width][];
        for (var j = 0; j < width; j++)
        {
            var column = Column(chunk, input.Columns[j], input.Spec.Name);
            for (var i = 0; i < rows; i++)
            {
                var text = CellReader.ReadString(column, i);
                if (text is null)
                {
                    bad.Add(i, column.Name, $"no value, and the model input '{input.Spec.Name}' (BYTES) cannot take a missing value");
                }

                elements[i * width + j] = text is null ? [] : Encoding.UTF8.GetBytes(text);
            }
        }

        return InferTensor.FromStrings(input.Spec.Name, shape, elements);
    }

    private static ChunkColumn Column(DataChunk chunk, string name, string input) =>
        chunk.Columns.GetValueOrDefault(name)
        ?? throw new BadRowException(chunk.FileName, chunk.FirstRow + 1, name,
            $"the file has no column '{name}' for the model input '{input}' (columns: {string.Join(", ", chunk.FileColumns)}); use --map COLUMN={input}");
}
