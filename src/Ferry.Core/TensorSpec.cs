namespace Ferry;

/// <summary>A named tensor of a model's signature; -1 in <see cref="Shape"/> marks a dynamic dimension.</summary>
public sealed record TensorSpec
{
    public required string Name { get; init; }

    public required DataType DataType { get; init; }

    public required long[] Shape { get; init; }

    public string ShapeText => "[" + string.Join(",", Shape) + "]";
}
