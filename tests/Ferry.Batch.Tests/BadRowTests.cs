using System.Text.Json;
using Ferry.Batch.Checkpoint;

namespace Ferry.Batch.Tests;

public sealed class BadRowTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Fail_OnUnparseableNumber_ReportsFileRowColumnAndLeavesNoFinalOutput()
    {
        var input = _ws.PathOf("in.csv");
        await File.WriteAllTextAsync(input, "id,a,b\n1,1.5,2\n2,abc,3\n3,4,5\n");
        var output = _ws.PathOf("out.parquet");

        var error = await Assert.ThrowsAsync<BadRowException>(() => _ws.Runner().RunAsync(Spec("adder", input, output), null, CancellationToken.None));

        Assert.Equal(("in.csv", 2L, "a"), (error.File, error.Row, error.Column));
        Assert.Contains("'abc' is not a number", error.Message, StringComparison.Ordinal);
        AssertFailedWithoutOutput(output);
    }

    [Fact]
    public async Task Fail_OnMissingColumn_NamesTheColumnAndTheFileColumns()
    {
        var input = _ws.PathOf("in.csv");
        await File.WriteAllTextAsync(input, "id,a,c\n1,1,2\n");
        var output = _ws.PathOf("out.csv");

        var error = await Assert.ThrowsAsync<BadRowException>(() => _ws.Runner().RunAsync(Spec("adder", input, output), null, CancellationToken.None));

        Assert.Equal(("in.csv", 1L, "b"), (error.File, error.Row, error.Column));
        Assert.Contains("columns: id, a, c", error.Message, StringComparison.Ordinal);
        AssertFailedWithoutOutput(output);
    }

    [Fact]
    public async Task Fail_OnWrongJsonType_ReportsTheRow()
    {
        var input = _ws.PathOf("in.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1,\"b\":2}\n{\"a\":1,\"b\":2}\n{\"a\":1,\"b\":\"two\"}\n");
        var output = _ws.PathOf("out.jsonl");

        var error = await Assert.ThrowsAsync<BadRowException>(() => _ws.Runner().RunAsync(Spec("adder", input, output), null, CancellationToken.None));

        Assert.Equal(("in.jsonl", 3L, "b"), (error.File, error.Row, error.Column));
        AssertFailedWithoutOutput(output);
    }

    [Fact]
    public async Task Fail_OnNaNForAnIntegerInput_ReportsTheRow()
    {
        var input = _ws.PathOf("in.csv");
        await File.WriteAllTextAsync(input, "n\n1\n2\nNaN\n");
        var output = _ws.PathOf("out.csv");

        var error = await Assert.ThrowsAsync<BadRowException>(() => _ws.Runner().RunAsync(Spec("ints", input, output), null, CancellationToken.None));

        Assert.Equal(("in.csv", 3L, "n"), (error.File, error.Row, error.Column));
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        AssertFailedWithoutOutput(output);
    }

    [Fact]
    public async Task Skip_DropsBadRowsAndCountsThem()
    {
        var input = _ws.PathOf("in.csv");
        await File.WriteAllTextAsync(input, "n\n1\n\n2\nx\n3.5\n4\n");
        var output = _ws.PathOf("out.csv");

        var summary = await _ws.Runner().RunAsync(Spec("ints", input, output) with { OnError = ErrorPolicy.Skip, Keep = ["n"] }, null, CancellationToken.None);

        Assert.Equal((5L, 3L, 2L), (summary.RowsIn, summary.RowsOut, summary.Skipped));
        Assert.Equal(["1", "2", "4"], (await OutputTable.ReadAsync(output)).Select(r => r["m"]));
    }

    [Fact]
    public async Task Null_WritesNullOutputsForBadRows()
    {
        var input = _ws.PathOf("in.jsonl");
        await File.WriteAllTextAsync(input, "{\"n\":1}\n{\"n\":\"x\"}\n{}\n{\"n\":4}\n");
        var output = _ws.PathOf("out.parquet");

        var summary = await _ws.Runner().RunAsync(Spec("ints", input, output) with { OnError = ErrorPolicy.Null }, null, CancellationToken.None);

        Assert.Equal((4L, 4L, 2L), (summary.RowsOut, summary.RowsIn, summary.Nulled));
        Assert.Equal(["1", null, null, "4"], (await OutputTable.ReadAsync(output)).Select(r => r["m"]));
    }

    private void AssertFailedWithoutOutput(string output)
    {
        Assert.False(File.Exists(output));
        var manifest = JsonDocument.Parse(File.ReadAllText(new CheckpointStore(output).ManifestPath));
        Assert.Equal(CheckpointManifest.Failed, manifest.RootElement.GetProperty("state").GetString());
    }

    private static BatchJobSpec Spec(string model, string input, string output) => new() { Model = model, Input = input, Output = output };
}
