namespace Ferry.Batch.Io;

/// <summary>Copies the rows of an array that a mask keeps, whatever its element type.</summary>
public static class RowSelection
{
    /// <param name="keep">One flag per row; null keeps every row and returns <paramref name="values"/> itself.</param>
    public static Array Select(Array values, bool[]? keep, int keptCount)
    {
        if (keep is null)
        {
            return values;
        }

        var result = Array.CreateInstance(values.GetType().GetElementType()!, keptCount);
        var target = 0;
        var i = 0;
        while (i < keep.Length)
        {
            if (!keep[i])
            {
                i++;
                continue;
            }

            // Copy runs of kept rows at once: bad rows are rare, so this is nearly one copy per chunk.
            var start = i;
            while (i < keep.Length && keep[i])
            {
                i++;
            }

            Array.Copy(values, start, result, target, i - start);
            target += i - start;
        }

        return result;
    }
}
