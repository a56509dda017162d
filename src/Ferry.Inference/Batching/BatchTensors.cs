using Ferry.Inference.Tensors;

namespace Ferry.Inference.Batching;

/// <summary>Stacks requests' tensors along the batch (first) dimension and splits results back.</summary>
internal static class BatchTensors
{
    /// <summary>True when two tensors differ at most in their first dimension.</summary>
    public static bool Stackable(InferTensor a, InferTensor b)
    {
        if (a.Shape.Length != b.Shape.Length || a.Shape.Length == 0)
        {
            return false;
        }

        for (var i = 1; i < a.Shape.Length; i++)
        {
            if (a.Shape[i] != b.Shape[i])
            {
                return false;
            }
        }

        return true;
    }

    public static InferTensor Stack(string name, IReadOnlyList<PendingRequest> batch, int totalRows)
    {
        var first = batch[0].Input(name);
        long[] shape = [totalRows, .. first.Shape.AsSpan(1)];
        if (first.DataType == DataType.Bytes)
        {
            var elements = new List<byte[]>();
            foreach (var request in batch)
            {
                elements.AddRange(request.Input(name).Strings!);
            }

            return InferTensor.FromStrings(name, shape, elements.ToArray());
        }

        var stacked = InferTensor.AllocateUninitialized(name, first.DataType, shape);
        var destination = stacked.Bytes;
        var offset = 0;
        foreach (var request in batch)
        {
            var part = request.Input(name).Bytes;
            part.CopyTo(destination[offset..]);
            offset += part.Length;
        }

        return stacked;
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="rows"/> of a batched output.</summary>
    public static InferTensor Slice(InferTensor whole, int start, int rows, int totalRows)
    {
        if (whole.Shape.Length == 0 || whole.Shape[0] != totalRows)
        {
            throw new FerryException(ErrorCode.Internal,
                $"output '{whole.Name}' has shape {whole.ShapeText}, whose first dimension is not the batch of {totalRows}; set max_batch_size 0 for this model");
        }

        long[] shape = [rows, .. whole.Shape.AsSpan(1)];
        var rowElements = totalRows == 0 ? 0 : whole.ElementCount / totalRows;
        if (whole.DataType == DataType.Bytes)
        {
            return InferTensor.FromStrings(whole.Name, shape, whole.Strings!.AsSpan(start * rowElements, rows * rowElements).ToArray());
        }

        var slice = InferTensor.AllocateUninitialized(whole.Name, whole.DataType, shape);
        var rowBytes = rowElements * whole.DataType.ElementSize();
        whole.Bytes.Slice(start * rowBytes, rows * rowBytes).CopyTo(slice.Bytes);
        return slice;
    }
}
