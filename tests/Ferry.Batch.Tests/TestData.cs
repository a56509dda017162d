using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Ferry.Batch.Tests;

/// <summary>Writes the same synthetic rows (id, a, b) as CSV, JSONL or Parquet.</summary>
public static class TestData
{
    public static (int Id, float A, float B)[] Rows(int count, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => (i, MathF.Round((float)random.NextDouble() * 100, 3), MathF.Round((float)random.NextDouble() * 10 - 5, 3))).ToArray();
    }

    public static void Write(string path, (int Id, float A, float B)[] rows, int rowGroup = 100, string aName = "a")
    {
        switch (Path.GetExtension(path))
        {
            case ".csv":
                var csv = new StringBuilder($"id,{aName},b\n");
                foreach (var r in rows)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{r.Id},{r.A:R},{r.B:R}\n");
                }

                File.WriteAllText(path, csv.ToString());
                break;
            case ".jsonl":
                var jsonl = new StringBuilder();
                foreach (var r in rows)
                {
                    jsonl.Append(CultureInfo.InvariantCulture, $"{{\"id\":{r.Id},\"{aName}\":{r.A:R},\"b\":{r.B:R}}}\n");
                }

                File.WriteAllText(path, jsonl.ToString());
                break;
            default:
                WriteParquetAsync(path, rows, rowGroup, aName).GetAwaiter().GetResult();
                break;
        }
    }

    private static async Task WriteParquetAsync(string path, (int Id, float A, float B)[] rows, int rowGroup, string aName)
    {
        var id = new DataField<int>("id");
        var a = new DataField<float>(aName);
        var b = new DataField<float>("b");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, a, b), stream);
        foreach (var group in rows.Chunk(rowGroup))
        {
            using var g = writer.CreateRowGroup();
            await g.WriteAsync<int>(id, group.Select(r => r.Id).ToArray());
            await g.WriteAsync<float>(a, group.Select(r => r.A).ToArray());
            await g.WriteAsync<float>(b, group.Select(r => r.B).ToArray());
        }
    }
}
