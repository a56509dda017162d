using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Ferry.Inference;
using Ferry.Inference.Tensors;

namespace Ferry.Server.Oip;

/// <summary>Encodes a REST inference response: JSON, followed by binary tensor data for outputs asked in binary.</summary>
public static class InferResponseWriter
{
    /// <summary>One writer per thread, reset onto each response's buffer: a writer is ~200 bytes and a few objects to make.</summary>
    [ThreadStatic]
    private static Utf8JsonWriter? _writerOfThread;

    /// <summary>What a kept writer points at between responses (resetting it onto a stream would allocate a buffer).</summary>
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the JSON header and then the binary section into <paramref name="output"/>.</summary>
    /// <returns>The JSON header's length when a binary section follows; null for a JSON-only response.</returns>
    public static int? Write(IBufferWriter<byte> output, InferRequest request, InferenceResult result)
    {
        Span<bool> binary = result.Outputs.Count <= 64 ? stackalloc bool[result.Outputs.Count] : new bool[result.Outputs.Count];
        var any = false;
        for (var i = 0; i < result.Outputs.Count; i++)
        {
            binary[i] = IsBinary(request, result.Outputs[i].Name);
            any |= binary[i];
        }

        int jsonLength;
        var writer = _writerOfThread ??= new Utf8JsonWriter(Detached, WriterOptions);
        writer.Reset(output);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("model_name"u8, result.ModelName);
            writer.WriteString("model_version"u8, result.ModelVersion);
            if (request.Id is { } id)
            {
                writer.WriteString("id"u8, id);
            }

            writer.WriteStartArray("outputs"u8);
            for (var i = 0; i < result.Outputs.Count; i++)
            {
                WriteOutput(writer, result.Outputs[i], binary[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            jsonLength = (int)writer.BytesCommitted;
        }
        finally
        {
            // Let go of the caller's buffer; the writer itself is kept for this thread's next response.
            writer.Reset(Detached);
        }

        if (!any)
        {
            return null;
        }

        for (var i = 0; i < result.Outputs.Count; i++)
        {
            if (binary[i])
            {
                var size = BinaryTensors.SizeOf(result.Outputs[i]);
                BinaryTensors.Write(result.Outputs[i], output.GetSpan(size)[..size]);
                output.Advance(size);
            }
        }

        return jsonLength;
    }

    private static bool IsBinary(InferRequest request, string name)
    {
        foreach (var requested in request.Outputs)
        {
            if (requested.Name == name && requested.Binary is { } binary)
            {
                return binary;
            }
        }

        return request.BinaryDataOutput;
    }

    private static void WriteOutput(Utf8JsonWriter writer, InferTensor tensor, bool binary)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, tensor.Name);
        writer.WriteString("datatype"u8, tensor.DataType.ToProtocolName());
        writer.WriteStartArray("shape"u8);
        foreach (var dim in tensor.Shape)
        {
            writer.WriteNumberValue(dim);
        }

        writer.WriteEndArray();
        if (binary)
        {
            writer.WriteStartObject("parameters"u8);
            writer.WriteNumber("binary_data_size"u8, BinaryTensors.SizeOf(tensor));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("data"u8);
            WriteData(writer, tensor);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, InferTensor tensor)
    {
        var bytes = tensor.Bytes;
        switch (tensor.DataType)
        {
            case DataType.Bool:
                foreach (var b in bytes)
                {
                    writer.WriteBooleanValue(b != 0);
                }

                break;
            case DataType.UInt8:
                foreach (var v in bytes)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.UInt16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.UInt32:
                foreach (var v in MemoryMarshal.Cast<byte, uint>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.UInt64:
                foreach (var v in MemoryMarshal.Cast<byte, ulong>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.Int8:
                foreach (var v in MemoryMarshal.Cast<byte, sbyte>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.Int16:
                foreach (var v in MemoryMarshal.Cast<byte, short>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.Int32:
                foreach (var v in MemoryMarshal.Cast<byte, int>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.Int64:
                foreach (var v in MemoryMarshal.Cast<byte, long>(bytes))
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case DataType.Fp16:
                foreach (var v in MemoryMarshal.Cast<byte, Half>(bytes))
                {
                    WriteFloat(writer, (float)v);
                }

                break;
            case DataType.Fp32:
                foreach (var v in MemoryMarshal.Cast<byte, float>(bytes))
                {
                    WriteFloat(writer, v);
                }

                break;
            case DataType.Fp64:
                foreach (var v in MemoryMarshal.Cast<byte, double>(bytes))
                {
                    if (double.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        WriteNonFinite(writer, v);
                    }
                }

                break;
            case DataType.Bytes:
                foreach (var element in tensor.Strings!)
                {
                    if (Utf8.IsValid(element))
                    {
                        writer.WriteStringValue(element);
                    }
                    else
                    {
                        // JSON strings hold text only; bytes that are not UTF-8 travel as base64 (or ask for binary_data).
                        writer.WriteBase64StringValue(element);
                    }
                }

                break;
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float v)
    {
        if (float.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            WriteNonFinite(writer, v);
        }
    }

    // JSON has no NaN or infinity; they are written as the strings System.Text.Json uses for them.
    private static void WriteNonFinite(Utf8JsonWriter writer, double v) =>
        writer.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
}
