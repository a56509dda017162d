using Parquet;
using Parquet.Schema;

namespace Ferry.Batch.Io;

/// <summary>
/// Reads and writes flat Parquet columns as typed arrays (<c>T[]</c> for required fields, <c>T?[]</c> for optional
/// ones, <c>string?[]</c> for strings). Parquet.Net's column API is generic, so the element type is switched on once
/// per column, never per value.
/// </summary>
public static class ParquetColumns
{
    public static async Task<Array> ReadAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        if (field.IsArray)
        {
            throw new BatchUsageException($"column '{field.Name}' is a list; only flat columns are supported");
        }

        var type = field.ClrType;
        if (IsText(type))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return strings;
        }

        return type switch
        {
            _ when type == typeof(float) => await ReadValuesAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(double) => await ReadValuesAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(int) => await ReadValuesAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(long) => await ReadValuesAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(short) => await ReadValuesAsync<short>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(byte) => await ReadValuesAsync<byte>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await ReadValuesAsync<sbyte>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(bool) => await ReadValuesAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTime) => await ReadValuesAsync<DateTime>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ => throw new BatchUsageException($"column '{field.Name}' has Parquet type {type.Name}, which batch scoring does not read"),
        };
    }

    public static async Task WriteAsync(ParquetRowGroupWriter group, DataField field, Array values, CancellationToken cancellationToken)
    {
        switch (values)
        {
            case string?[] strings:
                await group.WriteAsync(field, strings!, null).ConfigureAwait(false);
                break;
            case float[] a: await group.WriteAsync<float>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case float?[] a: await group.WriteAsync<float>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case double[] a: await group.WriteAsync<double>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case double?[] a: await group.WriteAsync<double>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case int[] a: await group.WriteAsync<int>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case int?[] a: await group.WriteAsync<int>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case long[] a: await group.WriteAsync<long>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case long?[] a: await group.WriteAsync<long>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case short[] a: await group.WriteAsync<short>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case short?[] a: await group.WriteAsync<short>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case byte[] a: await group.WriteAsync<byte>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case byte?[] a: await group.WriteAsync<byte>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case sbyte[] a: await group.WriteAsync<sbyte>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case sbyte?[] a: await group.WriteAsync<sbyte>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case bool[] a: await group.WriteAsync<bool>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case bool?[] a: await group.WriteAsync<bool>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case DateTime[] a: await group.WriteAsync<DateTime>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            case DateTime?[] a: await group.WriteAsync<DateTime>(field, a, null, null, cancellationToken).ConfigureAwait(false); break;
            default:
                throw new BatchUsageException($"column '{field.Name}': cannot write values of type {values.GetType().Name}");
        }
    }

    /// <summary>Parquet.Net may type a UTF-8 column as <c>ReadOnlyMemory</c>; batch scoring reads it as strings.</summary>
    public static bool IsText(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>) || type == typeof(ReadOnlyMemory<byte>);

    private static async Task<Array> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            await group.ReadAsync<T>(field, nullable.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return nullable;
        }

        var values = new T[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }
}
