using System.Net;
using System.Text;

namespace Ferry.Server.Tests.Registry;

/// <summary>
/// With auth and <c>ProtectInference</c> on, inference needs a reader token on every path to it, the one answered
/// ahead of routing included; health stays open for probes.
/// </summary>
public sealed class ProtectedInferenceTests : IAsyncLifetime
{
    private readonly RegistryServerFixture _server = new();

    public Task InitializeAsync()
    {
        _server.Options.ProtectInference = true;
        return ((IAsyncLifetime)_server).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_server).DisposeAsync();

    [Theory]
    [InlineData("/v2/models/nothing/infer")]
    [InlineData("/v2/models/nothing/versions/1/infer")]
    [InlineData("/V2/Models/nothing/Infer")]
    public async Task Infer_WithoutToken_Is401_AndWithReaderToken_ReachesTheModelLookup(string path)
    {
        using var anonymous = _server.Client(null);
        using var refused = await anonymous.PostAsync(path, Json());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("\"error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var reader = _server.Client(_server.ReaderToken);
        using var passed = await reader.PostAsync(path, Json());
        Assert.Equal(HttpStatusCode.NotFound, passed.StatusCode);
        Assert.Contains("nothing", await passed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_StaysOpen()
    {
        using var anonymous = _server.Client(null);
        using var live = await anonymous.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static StringContent Json() =>
        new("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}]}""", Encoding.UTF8, "application/json");
}
