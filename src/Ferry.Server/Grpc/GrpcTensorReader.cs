using System.Buffers.Binary;
using Ferry.Inference.Tensors;
using Ferry.Server.Grpc.Protocol;
using Ferry.Server.Oip;
using Google.Protobuf.Collections;

namespace Ferry.Server.Grpc;

/// <summary>
/// Decodes the inputs of a <see cref="ModelInferRequest"/>: typed <c>contents</c>, or <c>raw_input_contents</c>
/// (one entry per input, in the layout of the binary tensor extension). Every error names the input.
/// </summary>
internal static class GrpcTensorReader
{
    private static readonly InferTensorContents Empty = new();

    /// <returns>The inputs, in request order; the caller owns and disposes them.</returns>
    public static List<InferTensor> ReadInputs(ModelInferRequest request)
    {
        if (request.Inputs.Count == 0)
        {
            throw FerryException.Invalid("the request has no inputs");
        }

        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw FerryException.Invalid(
                $"raw_input_contents has {raw.Count} entries, but the request has {request.Inputs.Count} inputs; give one entry per input, in the order of 'inputs'");
        }

        var inputs = new List<InferTensor>(request.Inputs.Count);
        try
        {
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var input = request.Inputs[i];
                var type = ParseType(input);
                var shape = ToArray(input.Shape);
                var count = CountOf(input.Name, shape);
                if (raw.Count > 0)
                {
                    if (input.Contents is { } contents && GrpcContents.FirstUsed(contents) is { } field)
                    {
                        throw FerryException.Invalid($"input '{input.Name}' has {field}, but the request carries raw_input_contents; use one or the other for all inputs");
                    }

                    inputs.Add(BinaryTensors.FromRaw(input.Name, type, shape, raw[i].Span));
                }
                else
                {
                    inputs.Add(FromContents(input.Name, type, shape, count, input.Contents ?? Empty));
                }
            }

            return inputs;
        }
        catch
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }

            throw;
        }
    }

    private static DataType ParseType(ModelInferRequest.Types.InferInputTensor input) =>
        DataTypes.TryParse(input.Datatype, out var type)
            ? type
            : throw FerryException.Invalid($"input '{input.Name}' has datatype '{input.Datatype}', which is none of {string.Join(", ", DataTypes.All)}");

    private static long[] ToArray(RepeatedField<long> shape)
    {
        var array = new long[shape.Count];
        shape.CopyTo(array, 0);
        return array;
    }

    private static int CountOf(string name, long[] shape)
    {
        try
        {
            return Shapes.ElementCount(shape);
        }
        catch (FerryException e)
        {
            throw FerryException.Invalid($"input '{name}': {e.Message}");
        }
    }

    private static InferTensor FromContents(string name, DataType type, long[] shape, int count, InferTensorContents contents)
    {
        var field = GrpcContents.FieldFor(type)
            ?? throw FerryException.Invalid($"input '{name}' is {type.ToProtocolName()}, which has no typed contents field; send it in raw_input_contents");
        var given = GrpcContents.CountIn(contents, type);
        if (GrpcContents.FirstUsedOtherThan(contents, field) is { } other)
        {
            throw FerryException.Invalid($"input '{name}' is {type.ToProtocolName()}, whose elements go in {field}, but it has {other}");
        }

        if (given != count)
        {
            throw FerryException.Invalid($"input '{name}': shape {Shapes.Format(shape)} holds {count} elements, but {field} has {given}");
        }

        if (type == DataType.Bytes)
        {
            var elements = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                elements[i] = contents.BytesContents[i].ToByteArray();
            }

            return InferTensor.FromStrings(name, shape, elements);
        }

        var tensor = InferTensor.Allocate(name, type, shape);
        try
        {
            Fill(name, type, contents, tensor.Bytes);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Writes typed elements as little-endian bytes; narrow integers are checked, as they travel widened.</summary>
    private static void Fill(string name, DataType type, InferTensorContents contents, Span<byte> bytes)
    {
        switch (type)
        {
            case DataType.Bool:
                for (var i = 0; i < contents.BoolContents.Count; i++)
                {
                    bytes[i] = contents.BoolContents[i] ? (byte)1 : (byte)0;
                }

                break;
            case DataType.UInt8:
                for (var i = 0; i < contents.UintContents.Count; i++)
                {
                    bytes[i] = (byte)Checked(name, type, i, contents.UintContents[i], byte.MinValue, byte.MaxValue);
                }

                break;
            case DataType.UInt16:
                for (var i = 0; i < contents.UintContents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes[(i * 2)..], (ushort)Checked(name, type, i, contents.UintContents[i], ushort.MinValue, ushort.MaxValue));
                }

                break;
            case DataType.UInt32:
                for (var i = 0; i < contents.UintContents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes[(i * 4)..], contents.UintContents[i]);
                }

                break;
            case DataType.UInt64:
                for (var i = 0; i < contents.Uint64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes[(i * 8)..], contents.Uint64Contents[i]);
                }

                break;
            case DataType.Int8:
                for (var i = 0; i < contents.IntContents.Count; i++)
                {
                    bytes[i] = (byte)(sbyte)Checked(name, type, i, contents.IntContents[i], sbyte.MinValue, sbyte.MaxValue);
                }

                break;
            case DataType.Int16:
                for (var i = 0; i < contents.IntContents.Count; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes[(i * 2)..], (short)Checked(name, type, i, contents.IntContents[i], short.MinValue, short.MaxValue));
                }

                break;
            case DataType.Int32:
                for (var i = 0; i < contents.IntContents.Count; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * 4)..], contents.IntContents[i]);
                }

                break;
            case DataType.Int64:
                for (var i = 0; i < contents.Int64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes[(i * 8)..], contents.Int64Contents[i]);
                }

                break;
            case DataType.Fp32:
                for (var i = 0; i < contents.Fp32Contents.Count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * 4)..], contents.Fp32Contents[i]);
                }

                break;
            case DataType.Fp64:
                for (var i = 0; i < contents.Fp64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes[(i * 8)..], contents.Fp64Contents[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "no typed contents for this datatype");
        }
    }

    private static long Checked(string name, DataType type, int index, long value, long min, long max) =>
        value >= min && value <= max
            ? value
            : throw FerryException.Invalid($"input '{name}': element {index} is {value}, outside the range of {type.ToProtocolName()} ({min} to {max})");
}
