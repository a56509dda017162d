namespace Ferry.Inference.Tensors;

/// <summary>Arithmetic on tensor shapes, guarded against hostile sizes.</summary>
public static class Shapes
{
    /// <summary>The most elements one tensor may hold; larger shapes are refused before anything is allocated.</summary>
    public const int MaxElements = int.MaxValue / 8;

    /// <summary>The element count of a concrete shape; throws <see cref="FerryException"/> for negative or huge shapes.</summary>
    public static int ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw FerryException.Invalid($"shape {Format(shape)} has a negative dimension");
            }

            if (dim == 0)
            {
                return 0;
            }

            if (count > MaxElements / dim)
            {
                throw FerryException.Invalid($"shape {Format(shape)} holds more than {MaxElements} elements");
            }

            count *= dim;
        }

        return (int)count;
    }

    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(",", parts) + "]";
    }

    /// <summary>True when <paramref name="actual"/> fits <paramref name="expected"/>, where -1 matches any size.</summary>
    public static bool Matches(ReadOnlySpan<long> actual, ReadOnlySpan<long> expected)
    {
        if (actual.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (expected[i] >= 0 && expected[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }
}
