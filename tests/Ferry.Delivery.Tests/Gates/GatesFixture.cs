using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Server.Registry;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.ML;

namespace Ferry.Delivery.Tests.Gates;

/// <summary>
/// A real server with the registry on SQLite, holding model <c>warm</c>: version 1 a small FastTree (the
/// champion), version 2 a bigger one (better), version 3 one trained on the wrong label (worse), version 4 an ONNX
/// graph that takes temp_min as FP64 (incompatible); model <c>fresh</c> with one version and no champion; and the
/// held-out days registered as dataset <c>warm-eval</c> version 1, all through the HTTP API.
/// </summary>
public sealed class GatesFixture : FerryServerFixture, IAsyncLifetime
{
    public const string Model = "warm";
    public const string Fresh = "fresh";
    public const string Dataset = "warm-eval";

    private RegistryBackend? _backend;

    public WarmDays Days { get; } = new();

    public ITransformer Champion { get; private set; } = null!;

    public ITransformer Better { get; private set; } = null!;

    public ITransformer Worse { get; private set; } = null!;

    public long DatasetVersion { get; private set; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        _backend = await RegistryBackend.OpenAsync(Home, new RegistryOptions(), null, CancellationToken.None);
        await StartAsync();

        Champion = Days.Fit(trees: 2, leaves: 2);
        Better = Days.Fit(trees: 100, leaves: 16);
        Worse = Days.Fit(trees: 20, leaves: 8, label: d => d.Wind > 3.5f);
        await RegisterAsync(Model, Champion, "champion");
        await RegisterAsync(Model, Better, null);
        await RegisterAsync(Model, Worse, null);
        await UploadAsync(Model, Incompatible(), null);
        await RegisterAsync(Fresh, Better, null);

        using var content = new StringContent(Days.EvaluationCsv(), Encoding.UTF8, "text/csv");
        using var response = await Http.PostAsync($"/api/v1/datasets?name={Dataset}&filename=eval.csv", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        DatasetVersion = (long)JsonNode.Parse(body)!["version"]!;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeHostAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        await DisposeAsync();
    }

    /// <summary>Posts a gate check and returns the status and the parsed body.</summary>
    public async Task<(int Status, JsonNode Body)> CheckAsync(JsonObject request)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/gates/check", request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    public async Task<JsonNode> GetVersionAsync(string model, long version) =>
        JsonNode.Parse(await Http.GetStringAsync($"/api/v1/registry/models/{model}/versions/{version}"))!;

    protected override void ConfigureServer(WebApplicationBuilder builder) =>
        builder.Services.AddFerryRegistry(_backend!, new RegistryOptions());

    /// <summary>precipitation FP32, temp_min FP64, wind FP32 → Probability.output FP32: right names, one wrong type.</summary>
    private static byte[] Incompatible() => new OnnxModelBuilder()
        .Input("precipitation", DataType.Fp32, null, 1)
        .Input("temp_min", DataType.Fp64, null, 1)
        .Input("wind", DataType.Fp32, null, 1)
        .Output("Probability.output", DataType.Fp32, null, 1)
        .Node("Cast", ["temp_min"], ["t"], ("to", 1))
        .Node("Add", ["precipitation", "t"], ["s"])
        .Node("Add", ["s", "wind"], ["Probability.output"])
        .Build();

    private async Task RegisterAsync(string name, ITransformer model, string? alias)
    {
        var path = Path.Combine(Home, Guid.NewGuid().ToString("N") + ".onnx");
        Days.WriteOnnx(model, path);
        await UploadAsync(name, await File.ReadAllBytesAsync(path), alias);
    }

    private async Task UploadAsync(string name, byte[] onnx, string? alias)
    {
        using var content = new ByteArrayContent(onnx);
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await Http.PostAsync($"/api/v1/registry/versions?name={name}{(alias is null ? "" : "&alias=" + alias)}", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

[CollectionDefinition(Name)]
public sealed class GatesCollection : ICollectionFixture<GatesFixture>
{
    public const string Name = "gates";
}
