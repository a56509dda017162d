using Ferry.Cli.Commands;
using Ferry.Storage;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands;

public sealed class DatasetsCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("ferry-home-").FullName;

    [Fact]
    public async Task Register_SameFileTwice_KeepsOneVersionAndLineageFindsIt()
    {
        string[] register = ["datasets", "register", TestAssets.SeattleWeather, "--name", "weather", "--home", _home];

        var first = await FerryCommands.Build().Parse(register).InvokeAsync();
        var second = await FerryCommands.Build().Parse(register).InvokeAsync();
        var lineage = await FerryCommands.Build().Parse(["lineage", "dataset", "weather", "1", "--home", _home]).InvokeAsync();
        var unknown = await FerryCommands.Build().Parse(["lineage", "dataset", "weather", "2", "--home", _home]).InvokeAsync();

        await using var store = await MetadataStores.OpenAsync(null, _home, null, CancellationToken.None);
        var version = await store.Tracking.GetDatasetVersionAsync("weather", 1, CancellationToken.None);
        Assert.Equal([ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Failed], new[] { first, second, lineage, unknown });
        Assert.Equal(1461, version?.RowCount);
        Assert.Null(await store.Tracking.GetDatasetVersionAsync("weather", 2, CancellationToken.None));
    }

    [Fact]
    public async Task Register_WithOutputJson_PrintsTheVersionForScripts_AndGetPrintsTheSame()
    {
        string[] register = ["datasets", "register", TestAssets.SeattleWeather, "--name", "weather-json", "--home", _home, "--output", "json"];

        var first = System.Text.Json.Nodes.JsonNode.Parse((await Models.Ferry.RunAsync(register)).AssertOk().Output)!;
        var again = System.Text.Json.Nodes.JsonNode.Parse((await Models.Ferry.RunAsync(register)).AssertOk().Output)!;
        var got = System.Text.Json.Nodes.JsonNode.Parse((await Models.Ferry.RunAsync("datasets", "get", "weather-json", "1", "--home", _home)).AssertOk().Output)!;

        Assert.True((bool)first["created"]!);
        Assert.False((bool)again["created"]!);
        Assert.Equal(1, (long)first["version"]!);
        Assert.Equal(1461, (long)first["row_count"]!);
        Assert.Equal((string)first["digest"]!, (string)got["digest"]!);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
