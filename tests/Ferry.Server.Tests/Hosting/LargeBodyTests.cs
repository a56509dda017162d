using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Tests.Hosting;

/// <summary>Bodies and answers many times the size of Kestrel's blocks, alone and side by side.</summary>
[Collection(ServingCollection.Name)]
public sealed class LargeBodyTests
{
    private readonly ServingFixture _server;

    public LargeBodyTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public void Server_TakesKestrelsMemoryFromTheLargeBlockPool()
    {
        // Without it a 110 KB body arrives ~2 KB a receive (Kestrel's own 4 KB blocks).
        var factory = _server.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>();
        Assert.IsType<LargeBlockMemoryPoolFactory>(factory);
    }

    [Fact]
    public async Task Infer_BinaryBodiesOfManyBlocks_SideBySide_EachEchoesItsOwnBytes()
    {
        // 30,000 x 3 FP32 = 360 KB in and out: three blocks each way; eight at once share the pool.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var raw = new byte[30_000 * 3 * sizeof(float)];
            var random = new Random(i);
            for (var j = 0; j < raw.Length; j += 4)
            {
                BitConverter.TryWriteBytes(raw.AsSpan(j), (float)random.NextDouble());
            }

            return (Sent: raw, Received: await EchoAsync(raw));
        }));

        foreach (var (sent, received) in answers)
        {
            Assert.Equal(sent, received);
        }
    }

    private async Task<byte[]> EchoAsync(byte[] raw)
    {
        var rows = raw.Length / (3 * sizeof(float));
        var header = Encoding.UTF8.GetBytes(
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [" + rows + ", 3], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": " + raw.Length + "}}],"
            + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}]}");
        using var content = new ByteArrayContent([.. header, .. raw]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await _server.Http.PostAsync($"/v2/models/{ServingFixture.IdentityName(DataType.Fp32)}/infer", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 500))));
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var output = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!["outputs"]![0]!;
        Assert.Equal(raw.Length, (int)output["parameters"]!["binary_data_size"]!);
        return bytes[jsonLength..];
    }
}
