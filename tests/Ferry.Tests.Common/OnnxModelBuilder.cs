using Google.Protobuf;

namespace Ferry.Tests;

/// <summary>
/// Writes small ONNX models for tests, encoding the ONNX protobuf messages (ModelProto, GraphProto, NodeProto,
/// ValueInfoProto) with their public field numbers. Enough for graphs of standard operators over typed inputs.
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly List<byte[]> _initializers = [];
    private int _opset = 17;

    /// <summary>ONNX's TensorProto.DataType numbers for the protocol's data types.</summary>
    public static int OnnxType(DataType type) => type switch
    {
        DataType.Fp32 => 1,
        DataType.UInt8 => 2,
        DataType.Int8 => 3,
        DataType.UInt16 => 4,
        DataType.Int16 => 5,
        DataType.Int32 => 6,
        DataType.Int64 => 7,
        DataType.Bytes => 8,
        DataType.Bool => 9,
        DataType.Fp16 => 10,
        DataType.Fp64 => 11,
        DataType.UInt32 => 12,
        DataType.UInt64 => 13,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public OnnxModelBuilder Opset(int version)
    {
        _opset = version;
        return this;
    }

    /// <param name="shape">Dimensions; null or negative entries become a symbolic (dynamic) dimension.</param>
    public OnnxModelBuilder Input(string name, DataType type, params long?[] shape)
    {
        _inputs.Add(ValueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder Output(string name, DataType type, params long?[] shape)
    {
        _outputs.Add(ValueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] intAttributes)
    {
        _nodes.Add(Message(o =>
        {
            foreach (var i in inputs)
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteString(i);
            }

            foreach (var x in outputs)
            {
                o.WriteTag(2, WireFormat.WireType.LengthDelimited);
                o.WriteString(x);
            }

            o.WriteTag(3, WireFormat.WireType.LengthDelimited);
            o.WriteString(opType + "_" + _nodes.Count);
            o.WriteTag(4, WireFormat.WireType.LengthDelimited);
            o.WriteString(opType);
            foreach (var (name, value) in intAttributes)
            {
                var attribute = Message(a =>
                {
                    a.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    a.WriteString(name);
                    a.WriteTag(3, WireFormat.WireType.Varint);
                    a.WriteInt64(value);
                    a.WriteTag(20, WireFormat.WireType.Varint);
                    a.WriteInt32(2); // AttributeType INT
                });
                WriteBytes(o, 5, attribute);
            }
        }));
        return this;
    }

    /// <summary>A constant FP32 tensor the graph can use by name.</summary>
    public OnnxModelBuilder Initializer(string name, long[] dims, float[] values)
    {
        _initializers.Add(Message(o =>
        {
            foreach (var d in dims)
            {
                o.WriteTag(1, WireFormat.WireType.Varint);
                o.WriteInt64(d);
            }

            o.WriteTag(2, WireFormat.WireType.Varint);
            o.WriteInt32(1);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited);
            o.WriteString(name);
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            o.WriteTag(9, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(raw));
        }));
        return this;
    }

    public byte[] Build()
    {
        var graph = Message(o =>
        {
            foreach (var n in _nodes)
            {
                WriteBytes(o, 1, n);
            }

            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString("graph");
            foreach (var i in _initializers)
            {
                WriteBytes(o, 5, i);
            }

            foreach (var i in _inputs)
            {
                WriteBytes(o, 11, i);
            }

            foreach (var x in _outputs)
            {
                WriteBytes(o, 12, x);
            }
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint);
            o.WriteInt64(8); // IR version 8
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteString("ferry-tests");
            WriteBytes(o, 7, graph);
            WriteBytes(o, 8, Message(s =>
            {
                s.WriteTag(1, WireFormat.WireType.LengthDelimited);
                s.WriteString("");
                s.WriteTag(2, WireFormat.WireType.Varint);
                s.WriteInt64(_opset);
            }));
        });
    }

    /// <summary>Writes the model as <c>&lt;repository&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c>.</summary>
    public string WriteTo(string repository, string name, int version = 1)
    {
        var dir = Path.Combine(repository, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(path, Build());
        return path;
    }

    /// <summary>A model whose output <c>y</c> is its input <c>x</c>, for any data type.</summary>
    public static OnnxModelBuilder Identity(DataType type, params long?[] shape) =>
        new OnnxModelBuilder().Input("x", type, shape).Output("y", type, shape).Node("Identity", ["x"], ["y"]);

    /// <summary>
    /// A model whose outputs come as ML.NET's ONNX export gives them: the input <c>km</c> ([batch, 1], FP32) passed
    /// through first as <c>km.output</c>, then the prediction <c>Score.output</c> = 2 km.
    /// </summary>
    public static OnnxModelBuilder PassThroughThenScore() =>
        new OnnxModelBuilder()
            .Input("km", DataType.Fp32, null, 1)
            .Output("km.output", DataType.Fp32, null, 1)
            .Output("Score.output", DataType.Fp32, null, 1)
            .Initializer("two", [1], [2f])
            .Node("Identity", ["km"], ["km.output"])
            .Node("Mul", ["km", "two"], ["Score.output"]);

    /// <summary>y = a + b over FP32 tensors of shape [batch, 4]: a model with a dynamic batch dimension.</summary>
    public static OnnxModelBuilder AddFloats(int width = 4) =>
        new OnnxModelBuilder()
            .Input("a", DataType.Fp32, null, width)
            .Input("b", DataType.Fp32, null, width)
            .Output("sum", DataType.Fp32, null, width)
            .Output("product", DataType.Fp32, null, width)
            .Node("Add", ["a", "b"], ["sum"])
            .Node("Mul", ["a", "b"], ["product"]);

    private static byte[] ValueInfo(string name, DataType type, long?[] shape) => Message(o =>
    {
        o.WriteTag(1, WireFormat.WireType.LengthDelimited);
        o.WriteString(name);
        var tensorType = Message(t =>
        {
            t.WriteTag(1, WireFormat.WireType.Varint);
            t.WriteInt32(OnnxType(type));
            WriteBytes(t, 2, Message(s =>
            {
                var symbol = 0;
                foreach (var dim in shape)
                {
                    WriteBytes(s, 1, Message(d =>
                    {
                        if (dim is { } v && v >= 0)
                        {
                            d.WriteTag(1, WireFormat.WireType.Varint);
                            d.WriteInt64(v);
                        }
                        else
                        {
                            d.WriteTag(2, WireFormat.WireType.LengthDelimited);
                            d.WriteString(name + "_d" + symbol++);
                        }
                    }));
                }
            }));
        });
        WriteBytes(o, 2, Message(t => WriteBytes(t, 1, tensorType)));
    });

    private static void WriteBytes(CodedOutputStream output, int field, byte[] bytes)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(bytes));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
