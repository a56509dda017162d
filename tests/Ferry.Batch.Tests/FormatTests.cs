using System.Globalization;

namespace Ferry.Batch.Tests;

public sealed class FormatTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var input in new[] { ".csv", ".jsonl", ".parquet" })
        {
            foreach (var output in new[] { ".csv", ".jsonl", ".parquet" })
            {
                data.Add(input, output);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Run_EachFormatInAndOut_EqualsOnnxRuntimeCalledDirectly(string inExt, string outExt)
    {
        var rows = TestData.Rows(1000);
        var input = _ws.PathOf("in" + inExt);
        TestData.Write(input, rows, rowGroup: 300);
        var output = _ws.PathOf("out" + outExt);

        var summary = await _ws.Runner().RunAsync(new BatchJobSpec { Model = "adder", Input = input, Output = output, Keep = ["id"], ChunkRows = 300 }, null, CancellationToken.None);

        Assert.Equal(1000, summary.RowsIn);
        Assert.Equal(1000, summary.RowsOut);
        var table = await OutputTable.ReadAsync(output);
        Assert.Equal(["id", "sum", "product"], table[0].Keys);
        var model = Path.Combine(_ws.Repository, "adder", "1", "model.onnx");
        var inputs = new Dictionary<string, float[]> { ["a"] = rows.Select(r => r.A).ToArray(), ["b"] = rows.Select(r => r.B).ToArray() };
        var sums = DirectOnnx.Run(model, inputs, "sum");
        var products = DirectOnnx.Run(model, inputs, "product");
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Id.ToString(CultureInfo.InvariantCulture), table[i]["id"]);
            Assert.Equal(sums[i], float.Parse(table[i]["sum"]!, CultureInfo.InvariantCulture));
            Assert.Equal(products[i], float.Parse(table[i]["product"]!, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Run_WithMapAndKeep_FeedsRenamedColumnAndCopiesKeptOnes()
    {
        var rows = TestData.Rows(50);
        var input = _ws.PathOf("in.csv");
        TestData.Write(input, rows, aName: "first");
        var output = _ws.PathOf("out.csv");

        await _ws.Runner().RunAsync(new BatchJobSpec { Model = "adder:1", Input = input, Output = output, Map = new Dictionary<string, string> { ["a"] = "first" }, Keep = ["first", "id"], Outputs = ["sum"] }, null, CancellationToken.None);

        var table = await OutputTable.ReadAsync(output);
        Assert.Equal(["first", "id", "sum"], table[0].Keys);
        Assert.Equal(rows[7].A + rows[7].B, float.Parse(table[7]["sum"]!, CultureInfo.InvariantCulture));
        Assert.Equal(rows[7].A.ToString("R", CultureInfo.InvariantCulture), table[7]["first"]);
    }

    [Fact]
    public async Task Run_OverAFolder_ReadsFilesInNameOrder()
    {
        var folder = Directory.CreateDirectory(_ws.PathOf("in")).FullName;
        var rows = TestData.Rows(30);
        TestData.Write(Path.Combine(folder, "b.csv"), rows[10..]);
        TestData.Write(Path.Combine(folder, "a.jsonl"), rows[..10]);
        var output = _ws.PathOf("out.jsonl");

        var summary = await _ws.Runner().RunAsync(new BatchJobSpec { Model = "adder", Input = folder, Output = output, Keep = ["id"] }, null, CancellationToken.None);

        Assert.Equal(30, summary.RowsOut);
        var ids = (await OutputTable.ReadAsync(output)).Select(r => int.Parse(r["id"]!, CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 30), ids);
    }
}
