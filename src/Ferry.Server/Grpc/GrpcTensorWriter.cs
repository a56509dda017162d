using System.Buffers.Binary;
using Ferry.Inference.Tensors;
using Ferry.Server.Grpc.Protocol;
using Ferry.Server.Oip;
using Google.Protobuf;

namespace Ferry.Server.Grpc;

/// <summary>Encodes result tensors into a <see cref="ModelInferResponse"/>, as typed contents or raw bytes.</summary>
internal static class GrpcTensorWriter
{
    /// <param name="raw">
    /// True to answer in <c>raw_output_contents</c>: done when the request came raw, as Triton does, and whenever
    /// an output is FP16, which has no typed field (the protocol forbids mixing raw and typed outputs).
    /// </param>
    public static void WriteOutputs(ModelInferResponse response, IReadOnlyList<InferTensor> outputs, bool raw)
    {
        raw = raw || HasFp16(outputs);
        foreach (var output in outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType.ToProtocolName() };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                var bytes = new byte[BinaryTensors.SizeOf(output)];
                BinaryTensors.Write(output, bytes);
                // The array is fresh and never written again, so wrapping it without a copy is safe.
                response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(bytes));
            }
            else
            {
                tensor.Contents = ToContents(output);
            }

            response.Outputs.Add(tensor);
        }
    }

    private static bool HasFp16(IReadOnlyList<InferTensor> outputs)
    {
        foreach (var output in outputs)
        {
            if (output.DataType == DataType.Fp16)
            {
                return true;
            }
        }

        return false;
    }

    private static InferTensorContents ToContents(InferTensor tensor)
    {
        var contents = new InferTensorContents();
        var bytes = tensor.Bytes;
        var count = tensor.ElementCount;
        switch (tensor.DataType)
        {
            case DataType.Bool:
                contents.BoolContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.BoolContents.Add(bytes[i] != 0);
                }

                break;
            case DataType.UInt8:
                contents.UintContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(bytes[i]);
                }

                break;
            case DataType.UInt16:
                contents.UintContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]));
                }

                break;
            case DataType.UInt32:
                contents.UintContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]));
                }

                break;
            case DataType.UInt64:
                contents.Uint64Contents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.Uint64Contents.Add(BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]));
                }

                break;
            case DataType.Int8:
                contents.IntContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add((sbyte)bytes[i]);
                }

                break;
            case DataType.Int16:
                contents.IntContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add(BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]));
                }

                break;
            case DataType.Int32:
                contents.IntContents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add(BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]));
                }

                break;
            case DataType.Int64:
                contents.Int64Contents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.Int64Contents.Add(BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]));
                }

                break;
            case DataType.Fp32:
                contents.Fp32Contents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.Fp32Contents.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]));
                }

                break;
            case DataType.Fp64:
                contents.Fp64Contents.Capacity = count;
                for (var i = 0; i < count; i++)
                {
                    contents.Fp64Contents.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]));
                }

                break;
            case DataType.Bytes:
                contents.BytesContents.Capacity = count;
                foreach (var element in tensor.Strings!)
                {
                    // Result elements belong to this tensor alone and are not changed after, so no copy is needed.
                    contents.BytesContents.Add(UnsafeByteOperations.UnsafeWrap(element));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tensor), tensor.DataType, "FP16 has no typed contents field");
        }

        return contents;
    }
}
