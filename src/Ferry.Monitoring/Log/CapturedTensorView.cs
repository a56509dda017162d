using System.Text;

namespace Ferry.Monitoring.Log;

/// <summary>
/// One tensor of a <see cref="PredictionCapture"/>, read in place from its buffer; valid until the buffer is returned.
/// </summary>
public readonly ref struct CapturedTensorView
{
    public CapturedTensorView(DataType dataType, ReadOnlySpan<long> shape, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, bool dataKept)
    {
        DataType = dataType;
        Shape = shape;
        Name = name;
        Data = data;
        DataKept = dataKept;
    }

    public DataType DataType { get; }

    public ReadOnlySpan<long> Shape { get; }

    /// <summary>The tensor's name as UTF-8.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>
    /// Little-endian elements for fixed-size types; for BYTES, each element as a 4-byte length and its bytes. Empty
    /// when <see cref="DataKept"/> is false.
    /// </summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>False when the tap kept only the shape (a tensor too large per row to be logged element by element).</summary>
    public bool DataKept { get; }

    public string NameText => Encoding.UTF8.GetString(Name);
}
