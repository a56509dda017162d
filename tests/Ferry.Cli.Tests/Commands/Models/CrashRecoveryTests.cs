using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ferry.Tests;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Ferry.Cli.Tests.Commands.Models;

/// <summary>
/// Acceptance: <c>ferry serve</c> on SQLite is killed with SIGKILL while registrations run; after a restart every
/// acknowledged registration is there with a blob that verifies, and no version row in the store lacks its blob.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultRounds"/> rounds with <see cref="DefaultConcurrency"/> registrations in flight;
/// <c>bench/registry/crash.sh</c> sets <c>FERRY_CRASH_ROUNDS</c> and <c>FERRY_CRASH_CONCURRENCY</c> for the
/// full-size run (20 rounds, 1,000 in flight).
/// </remarks>
[Collection(ChildProcessCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultRounds = 3;
    private const int DefaultConcurrency = 3;
    private const int MinimumAcknowledgedBeforeKill = 6;

    private readonly string _home = Directory.CreateTempSubdirectory("ferry-crash-").FullName;
    private readonly string _repository = Directory.CreateTempSubdirectory("ferry-crash-repo-").FullName;
    private int _registrations;
    private int _inFlight;

    [Fact]
    public async Task KillDuringRegistrations_ThenRestart_KeepsEveryAcknowledgedVersionWithAVerifyingBlob()
    {
        var rounds = FromEnvironment("FERRY_CRASH_ROUNDS", DefaultRounds);
        var concurrency = FromEnvironment("FERRY_CRASH_CONCURRENCY", DefaultConcurrency);
        var random = new Random(4);
        var acknowledged = new ConcurrentQueue<(string Model, long Version, string Digest)>();
        var verified = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = acknowledged.Count;
            int inFlightAtKill;
            using (var server = await ServeProcess.StartAsync(_home, _repository))
            {
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
                using var stop = new CancellationTokenSource();
                var r = round;
                var writers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => RegisterUntilStoppedAsync(http, $"crash-{r}-{w % 100}", acknowledged, stop.Token))).ToArray();

                // Kill at a seeded-random point once the round has acknowledgements and (nearly) every writer has a request out.
                var target = before + random.Next(MinimumAcknowledgedBeforeKill, Math.Max(MinimumAcknowledgedBeforeKill, concurrency) + 1);
                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (acknowledged.Count < target || Volatile.Read(ref _inFlight) < concurrency * 9 / 10)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"registrations made no progress ({acknowledged.Count - before} acknowledged, {Volatile.Read(ref _inFlight)} in flight)");
                    await Task.Delay(5);
                }

                inFlightAtKill = Volatile.Read(ref _inFlight);
                server.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            using var restarted = await ServeProcess.StartAsync(_home, _repository);
            verified = await AssertStoreIsWholeAsync(restarted.Address, acknowledged, before);
            output.WriteLine($"crash round {round + 1}/{rounds}: {inFlightAtKill} in flight at kill, {acknowledged.Count - before} acknowledged this round, {acknowledged.Count} acknowledged in all, {verified} version rows verified");
        }

        output.WriteLine($"crash summary: rounds={rounds} concurrency={concurrency} acknowledged={acknowledged.Count} verified={verified}");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
        Directory.Delete(_repository, recursive: true);
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <summary>Registers distinct models (so every registration writes a new blob) until the server dies; only 201 counts as acknowledged.</summary>
    private async Task RegisterUntilStoppedAsync(HttpClient http, string model, ConcurrentQueue<(string, long, string)> acknowledged, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var bytes = OnnxModelBuilder.AddFloats(Interlocked.Increment(ref _registrations)).Build();
            Interlocked.Increment(ref _inFlight);
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
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>
    /// Every acknowledged version is in the store with its digest (this round's also through the API), and every
    /// version row in the store, acknowledged or not, has a blob whose SHA-256 is its digest. Returns the rows checked.
    /// </summary>
    private async Task<int> AssertStoreIsWholeAsync(Uri server, IReadOnlyCollection<(string Model, long Version, string Digest)> acknowledged, int roundStart)
    {
        var rows = new Dictionary<(string, long), string>();
        var database = Path.Combine(_home, "ferry.db");
        Assert.True(File.Exists(database), $"no store at {database}");
        await using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT m.name, v.version, v.blob_digest FROM model_versions v JOIN models m ON m.id = v.model_id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)), reader.GetString(2));
            }
        }

        foreach (var (model, version, digest) in acknowledged)
        {
            Assert.True(rows.TryGetValue((model, version), out var stored), $"acknowledged {model} version {version} is missing");
            Assert.Equal(digest, stored);
        }

        using var http = new HttpClient { BaseAddress = server };
        foreach (var (model, version, digest) in acknowledged.Skip(roundStart))
        {
            using var response = await http.GetAsync($"/api/v1/registry/models/{model}/versions/{version}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged {model} version {version} is missing from the API");
            Assert.Equal(digest, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["digest"]);
        }

        foreach (var ((model, version), digest) in rows)
        {
            var blob = Path.Combine(_home, "blobs", "sha256", digest[..2], digest[2..]);
            Assert.True(File.Exists(blob), $"version {version} of {model} has no blob");
            Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(blob))));
        }

        return rows.Count;
    }
}
