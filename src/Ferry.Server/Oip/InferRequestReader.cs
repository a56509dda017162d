using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Ferry.Inference.Tensors;

namespace Ferry.Server.Oip;

/// <summary>
/// Decodes a REST inference request: the JSON header, and the binary tensor data that follows it when
/// <c>Inference-Header-Content-Length</c> is given. Reads straight into tensor buffers, without a DOM.
/// </summary>
public static class InferRequestReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <param name="body">The whole request body.</param>
    /// <param name="headerLength">The JSON header's length, or null when the body is JSON only.</param>
    public static InferRequest Read(ReadOnlySpan<byte> body, int? headerLength) => Read(body, headerLength, null);

    /// <summary>
    /// Decodes a body read into a pooled buffer. Binary inputs view their elements in that buffer rather than copying
    /// them; the request takes the body and disposes it after its inputs. On an error the body stays the caller's.
    /// </summary>
    public static InferRequest Read(RequestBody body, int? headerLength) => Read(body.Span, headerLength, body);

    private static InferRequest Read(ReadOnlySpan<byte> body, int? headerLength, RequestBody? owner)
    {
        if (headerLength is { } h && (h < 0 || h > body.Length))
        {
            throw FerryException.Invalid($"Inference-Header-Content-Length is {h}, but the body has {body.Length} bytes");
        }

        var json = headerLength is { } length ? body[..length] : body;
        var binary = headerLength is { } start ? body[start..] : ReadOnlySpan<byte>.Empty;
        var request = new InferRequest();
        if (owner is not null && headerLength is { } binaryStart)
        {
            request.Body = owner;
            request.BinaryStart = owner.Offset + binaryStart;
        }

        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            var binaryOffset = 0;
            ReadRequest(ref reader, request, json, binary, ref binaryOffset);

            // Only whitespace may follow the request object; Read throws JsonException for anything else.
            if (reader.Read())
            {
                throw FerryException.Invalid("malformed JSON: something follows the request object");
            }

            if (binaryOffset != binary.Length)
            {
                throw FerryException.Invalid($"{binary.Length - binaryOffset} bytes of binary data follow the header that no input claims (binary_data_size)");
            }

            if (request.Inputs.Count == 0)
            {
                throw FerryException.Invalid("the request has no inputs");
            }

            return request;
        }
        catch (JsonException e)
        {
            request.DisposeInputs();
            throw FerryException.Invalid($"malformed JSON: {e.Message}");
        }
        catch
        {
            request.DisposeInputs();
            throw;
        }
    }

    private static void ReadRequest(ref Utf8JsonReader reader, InferRequest request, ReadOnlySpan<byte> json, ReadOnlySpan<byte> binary, ref int binaryOffset)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the request");
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.String, "'id'");
                request.Id = ReadText(ref reader, "'id'");
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "'inputs'");
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    request.Inputs.Add(ReadInput(ref reader, request, json.Length, binary, ref binaryOffset));
                }
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "'outputs'");
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    request.Outputs.Add(ReadOutput(ref reader, request.Outputs.Count));
                }
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartObject, "'parameters'");
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("binary_data_output"u8))
                    {
                        request.BinaryDataOutput = ReadBool(ref reader, "parameters.binary_data_output");
                    }
                    else
                    {
                        Next(ref reader);
                        reader.Skip();
                    }
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
    }

    private static InferTensor ReadInput(ref Utf8JsonReader reader, InferRequest request, int jsonLength, ReadOnlySpan<byte> binary, ref int binaryOffset)
    {
        var index = request.Inputs.Count;
        var what = Place.Of("inputs", index);
        Expect(ref reader, JsonTokenType.StartObject, what, "");
        string? name = null;
        long[]? shape = null;
        DataType? dataType = null;
        long? binarySize = null;
        InferTensor? tensor = null;
        var pendingData = default(Utf8JsonReader);
        var hasPendingData = false;
        try
        {
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    Next(ref reader);
                    Expect(ref reader, JsonTokenType.String, what, ".name");
                    name = ReadName(ref reader, what, ".name");
                    what = Place.Input(name);
                }
                else if (reader.ValueTextEquals("shape"u8))
                {
                    Next(ref reader);
                    shape = ReadShape(ref reader, what);
                }
                else if (reader.ValueTextEquals("datatype"u8))
                {
                    Next(ref reader);
                    Expect(ref reader, JsonTokenType.String, what, ".datatype");
                    if (!reader.ValueIsEscaped && !reader.HasValueSequence && DataTypes.TryParseExact(reader.ValueSpan, out var exact))
                    {
                        dataType = exact;
                        continue;
                    }

                    var text = ReadText(ref reader, what, ".datatype");
                    if (!DataTypes.TryParse(text, out var parsed) || text!.StartsWith("TYPE_", StringComparison.Ordinal) || text == "STRING")
                    {
                        throw FerryException.Invalid($"{what}: unknown datatype '{text}'; one of {string.Join(", ", DataTypes.All)}");
                    }

                    dataType = parsed;
                }
                else if (reader.ValueTextEquals("parameters"u8))
                {
                    Next(ref reader);
                    Expect(ref reader, JsonTokenType.StartObject, what, ".parameters");
                    while (Next(ref reader) == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("binary_data_size"u8))
                        {
                            Next(ref reader);
                            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var size) || size < 0)
                            {
                                throw FerryException.Invalid($"{what}: parameters.binary_data_size must be a whole number of 0 or more");
                            }

                            binarySize = size;
                        }
                        else
                        {
                            Next(ref reader);
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    Next(ref reader);
                    if (tensor is not null || hasPendingData)
                    {
                        throw FerryException.Invalid($"{what}: 'data' is given twice");
                    }

                    if (dataType is { } t && shape is not null && name is not null)
                    {
                        tensor = ReadData(ref reader, name, t, shape, jsonLength);
                    }
                    else
                    {
                        // 'data' came before the name, shape or datatype it needs; read it once they are known.
                        pendingData = reader;
                        hasPendingData = true;
                        reader.Skip();
                    }
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            if (name is null)
            {
                throw FerryException.Invalid($"{what}: 'name' is required");
            }

            if (shape is null)
            {
                throw FerryException.Invalid($"{what}: 'shape' is required");
            }

            if (dataType is null)
            {
                throw FerryException.Invalid($"{what}: 'datatype' is required");
            }

            if (hasPendingData)
            {
                tensor = ReadData(ref pendingData, name, dataType.Value, shape, jsonLength);
            }

            if (binarySize is { } bytes)
            {
                if (tensor is not null)
                {
                    throw FerryException.Invalid($"{what}: has both 'data' and parameters.binary_data_size");
                }

                if (bytes > binary.Length - binaryOffset)
                {
                    throw FerryException.Invalid($"{what}: binary_data_size is {bytes}, but only {binary.Length - binaryOffset} bytes of binary data remain");
                }

                tensor = request.Body is { } body
                    ? BinaryTensors.InPlace(name, dataType.Value, shape, body.Array, request.BinaryStart + binaryOffset, (int)bytes)
                    : BinaryTensors.FromRaw(name, dataType.Value, shape, binary.Slice(binaryOffset, (int)bytes));
                binaryOffset += (int)bytes;
            }

            return tensor ?? throw FerryException.Invalid($"{what}: has neither 'data' nor parameters.binary_data_size");
        }
        catch
        {
            tensor?.Dispose();
            throw;
        }
    }

    private static RequestedOutput ReadOutput(ref Utf8JsonReader reader, int index)
    {
        var what = Place.Of("outputs", index);
        Expect(ref reader, JsonTokenType.StartObject, what, "");
        string? name = null;
        bool? binary = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.String, what, ".name");
                name = ReadName(ref reader, what, ".name");
            }
            else if (reader.ValueTextEquals("parameters"u8))
            {
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartObject, what, ".parameters");
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("binary_data"u8))
                    {
                        binary = ReadBool(ref reader, what, ".parameters.binary_data");
                    }
                    else if (reader.ValueTextEquals("classification"u8))
                    {
                        throw FerryException.Invalid($"{what}: the classification extension is not supported");
                    }
                    else
                    {
                        Next(ref reader);
                        reader.Skip();
                    }
                }
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new RequestedOutput(name ?? throw FerryException.Invalid($"{what}: 'name' is required"), binary);
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, Place what)
    {
        Expect(ref reader, JsonTokenType.StartArray, what, ".shape");
        Span<long> dims = stackalloc long[32];
        var count = 0;
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dim) || dim < 0)
            {
                throw FerryException.Invalid($"{what}: shape must be a list of whole numbers of 0 or more");
            }

            if (count == dims.Length)
            {
                throw FerryException.Invalid($"{what}: shape has more than 32 dimensions");
            }

            dims[count++] = dim;
        }

        return dims[..count].ToArray();
    }

    private static InferTensor ReadData(ref Utf8JsonReader reader, string name, DataType dataType, long[] shape, int jsonLength)
    {
        var what = Place.Input(name);
        var count = Shapes.ElementCount(shape);

        // Each JSON element takes at least one byte, so a shape larger than the body is refused before allocating.
        if (count > jsonLength)
        {
            throw FerryException.Invalid($"{what}: shape {Shapes.Format(shape)} holds more elements than the request");
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FerryException.Invalid($"{what}: 'data' must be a list (flat or nested)");
        }

        if (dataType == DataType.Bytes)
        {
            return InferTensor.FromStrings(name, shape, ReadStrings(ref reader, what, count, shape));
        }

        var tensor = InferTensor.Allocate(name, dataType, shape);
        try
        {
            var bytes = tensor.Bytes;
            var filled = dataType switch
            {
                DataType.Bool => ReadNumbers(ref reader, what, dataType, bytes),
                DataType.UInt8 => ReadNumbers(ref reader, what, dataType, bytes),
                DataType.UInt16 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, ushort>(bytes)),
                DataType.UInt32 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, uint>(bytes)),
                DataType.UInt64 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, ulong>(bytes)),
                DataType.Int8 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, sbyte>(bytes)),
                DataType.Int16 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, short>(bytes)),
                DataType.Int32 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, int>(bytes)),
                DataType.Int64 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, long>(bytes)),
                DataType.Fp16 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, Half>(bytes)),
                DataType.Fp32 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, float>(bytes)),
                DataType.Fp64 => ReadNumbers(ref reader, what, dataType, MemoryMarshal.Cast<byte, double>(bytes)),
                _ => throw new InvalidOperationException(),
            };
            if (filled != count)
            {
                throw CountMismatch(what, shape, count, filled);
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Walks a flat or nested list of numbers (or, for BOOL, true/false) into <paramref name="destination"/>.</summary>
    /// <returns>How many elements the list held.</returns>
    private static int ReadNumbers<T>(ref Utf8JsonReader reader, Place what, DataType dataType, Span<T> destination)
        where T : struct
    {
        var isBool = dataType == DataType.Bool;
        var depth = 0;
        var n = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.Number when !isBool:
                case JsonTokenType.True or JsonTokenType.False when isBool:
                    if (n >= destination.Length)
                    {
                        throw FerryException.Invalid($"{what}: 'data' has more elements than its shape holds ({destination.Length})");
                    }

                    if (isBool)
                    {
                        destination[n] = (T)(object)(reader.TokenType == JsonTokenType.True ? (byte)1 : (byte)0);
                    }
                    else if (!TryGetNumber(ref reader, out destination[n]))
                    {
                        throw FerryException.Invalid($"{what}: element {n} ({Encoding.UTF8.GetString(reader.ValueSpan)}) is not a valid {dataType.ToProtocolName()}");
                    }

                    n++;
                    break;
                default:
                    throw FerryException.Invalid($"{what}: element {n} is {Describe(reader.TokenType)}, the datatype {dataType.ToProtocolName()} takes {(isBool ? "true or false" : "numbers")}");
            }

            if (depth == 0)
            {
                break;
            }

            Next(ref reader);
        }
        while (true);

        return n;
    }

    private static bool TryGetNumber<T>(ref Utf8JsonReader reader, out T value)
        where T : struct
    {
        bool ok;
        if (typeof(T) == typeof(float))
        {
            ok = reader.TryGetSingle(out var v) && float.IsFinite(v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(double))
        {
            ok = reader.TryGetDouble(out var v) && double.IsFinite(v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(long))
        {
            ok = reader.TryGetInt64(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(int))
        {
            ok = reader.TryGetInt32(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(Half))
        {
            ok = reader.TryGetSingle(out var v) && float.IsFinite(v) && Half.IsFinite((Half)v);
            value = (T)(object)(Half)v;
        }
        else if (typeof(T) == typeof(byte))
        {
            ok = reader.TryGetByte(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(sbyte))
        {
            ok = reader.TryGetSByte(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(short))
        {
            ok = reader.TryGetInt16(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(ushort))
        {
            ok = reader.TryGetUInt16(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(uint))
        {
            ok = reader.TryGetUInt32(out var v);
            value = (T)(object)v;
        }
        else if (typeof(T) == typeof(ulong))
        {
            ok = reader.TryGetUInt64(out var v);
            value = (T)(object)v;
        }
        else
        {
            throw new NotSupportedException(typeof(T).Name);
        }

        return ok;
    }

    private static byte[][] ReadStrings(ref Utf8JsonReader reader, Place what, int count, long[] shape)
    {
        var elements = new List<byte[]>(Math.Min(count, 1024));
        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.String:
                    if (elements.Count >= count)
                    {
                        throw FerryException.Invalid($"{what}: 'data' has more elements than its shape holds ({count})");
                    }

                    elements.Add(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(ReadText(ref reader, $"{what}: element {elements.Count}")) : reader.ValueSpan.ToArray());
                    break;
                default:
                    throw FerryException.Invalid($"{what}: element {elements.Count} is {Describe(reader.TokenType)}, the datatype BYTES takes strings");
            }

            if (depth == 0)
            {
                break;
            }

            Next(ref reader);
        }
        while (true);

        if (elements.Count != count)
        {
            throw CountMismatch(what, shape, count, elements.Count);
        }

        return elements.ToArray();
    }

    private static FerryException CountMismatch(Place what, long[] shape, int count, int actual) =>
        FerryException.Invalid($"{what}: shape {Shapes.Format(shape)} holds {count} elements, 'data' has {actual}");

    private static bool ReadBool(ref Utf8JsonReader reader, Place where, string field)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw FerryException.Invalid($"{where}{field} must be true or false"),
        };
    }

    private static string ReadText(ref Utf8JsonReader reader, Place where, string field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw FerryException.Invalid($"{where}{field} is not valid text: invalid UTF-8 or an unpaired surrogate escape");
        }
    }

    /// <summary>A tensor's name: the same few recur request after request, so they come from <see cref="NameCache"/>.</summary>
    private static string ReadName(ref Utf8JsonReader reader, Place where, string field)
    {
        try
        {
            return NameCache.Get(ref reader);
        }
        catch (InvalidOperationException)
        {
            throw FerryException.Invalid($"{where}{field} is not valid text: invalid UTF-8 or an unpaired surrogate escape");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, Place where, string field)
    {
        if (reader.TokenType != type)
        {
            throw FerryException.Invalid($"{where}{field} must be {Describe(type)}, not {Describe(reader.TokenType)}");
        }
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw FerryException.Invalid($"{what} must be true or false"),
        };
    }

    /// <summary>
    /// The string at the reader. <see cref="Utf8JsonReader.GetString"/> throws InvalidOperationException for bytes
    /// that are not UTF-8 and for a lone surrogate escape (<c>"\ud800"</c>): the client's mistake, not ours.
    /// </summary>
    private static string ReadText(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw FerryException.Invalid($"{what} is not valid text: invalid UTF-8 or an unpaired surrogate escape");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw FerryException.Invalid("malformed JSON: the request ends too early");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw FerryException.Invalid($"{what} must be {Describe(type)}, not {Describe(reader.TokenType)}");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    /// <summary>
    /// Where in the request a value is (<c>inputs[0]</c>, <c>input 'x'</c>, <c>outputs[1]</c>), for messages: made into
    /// text only when a message is, so a request that decodes allocates no strings for it.
    /// </summary>
    private readonly struct Place
    {
        private readonly string _list;
        private readonly int _index;
        private readonly string? _name;

        private Place(string list, int index, string? name)
        {
            _list = list;
            _index = index;
            _name = name;
        }

        public static Place Of(string list, int index) => new(list, index, null);

        public static Place Input(string name) => new("inputs", 0, name);

        public override string ToString() => _name is null ? $"{_list}[{_index}]" : $"input '{_name}'";
    }
}
