using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ferry.Tests;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>
/// Acceptance: <c>ferry serve</c> on SQLite is killed with SIGKILL while registrations run; after a restart every
/// acknowledged registration is there with a blob that verifies, and no version lacks its blob.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Rounds = 3;
    private const int Writers = 3;
    private const int AcknowledgedBeforeKill = 6;

    private readonly string _home = Directory.CreateTempSubdirectory("ferry-crash-").FullName;
    private readonly string _repository = Directory.CreateTempSubdirectory("ferry-crash-repo-").FullName;

    [Fact]
    public async Task KillDuringRegistrations_ThenRestart_KeepsEveryAcknowledgedVersionWithAVerifyingBlob()
    {
        var acknowledged = new ConcurrentQueue<(string Model, long Version, string Digest)>();
        for (var round = 0; round < Rounds; round++)
        {
            using (var server = await ServeProcess.StartAsync(_home, _repository))
            {
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => RegisterUntilStoppedAsync(server.Address, $"crash-{round}-{w}", w + 1, acknowledged, stop.Token))).ToArray();
                var target = acknowledged.Count + AcknowledgedBeforeKill;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (acknowledged.Count < target)
                {
                    Assert.True(DateTime.UtcNow < deadline, "registrations made no progress");
                    await Task.Delay(10);
                }

                server.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            using var restarted = await ServeProcess.StartAsync(_home, _repository);
            await AssertStoreIsWholeAsync(restarted.Address, acknowledged);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_repository, recursive: true);
    }

    /// <summary>Registers versions until the server dies; only answers of 201 count as acknowledged.</summary>
    private static async Task RegisterUntilStoppedAsync(Uri server, string model, int width, ConcurrentQueue<(string, long, string)> acknowledged, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = server };
        var bytes = OnnxModelBuilder.AddFloats(width).Build();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync($"/api/v1/registry/versions?name={model}", content, stop);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
                    acknowledged.Enqueue((model, (long)body["version"]!, (string)body["digest"]!));
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The server was killed mid-request: this registration was never acknowledged.
                return;
            }
        }
    }

    private async Task AssertStoreIsWholeAsync(Uri server, IEnumerable<(string Model, long Version, string Digest)> acknowledged)
    {
        using var http = new HttpClient { BaseAddress = server };
        foreach (var (model, version, digest) in acknowledged)
        {
            using var response = await http.GetAsync($"/api/v1/registry/models/{model}/versions/{version}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged {model} version {version} is missing");
            Assert.Equal(digest, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["digest"]);
        }

        var models = JsonNode.Parse(await http.GetStringAsync("/api/v1/registry/models?pageSize=1000"))!["items"]!.AsArray();
        foreach (var model in models)
        {
            var shown = JsonNode.Parse(await http.GetStringAsync($"/api/v1/registry/models/{(string)model!["name"]!}"))!;
            foreach (var version in shown["versions"]!.AsArray())
            {
                var digest = (string)version!["digest"]!;
                var blob = Path.Combine(_home, "blobs", "sha256", digest[..2], digest[2..]);
                Assert.True(File.Exists(blob), $"version {version["version"]} of {model["name"]} has no blob");
                Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(blob))));
            }
        }
    }
}
