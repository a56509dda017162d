using System.Collections.Concurrent;
using System.Net;

namespace Ferry.Server.Tests.Repository;

/// <summary>
/// Acceptance: a reload loads the new version before it unloads the old one, so requests in flight finish and
/// none fails.
/// </summary>
[Collection(RepositoryCollection.Name)]
public sealed class ReloadUnderLoadTests
{
    private const int Clients = 4;
    private const int NewVersions = 10;
    private const int AnswersBetweenLoads = 200;

    private readonly RepositoryFixture _server;

    public ReloadUnderLoadTests(RepositoryFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Reload_WhileClientsSendRequests_FailsNoneAndSwitchesToNewVersion()
    {
        var failures = new ConcurrentQueue<string>();
        var answered = 0L;
        var lastSeen = new int[Clients];
        using var stop = new CancellationTokenSource();

        async Task ClientAsync(int client)
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await _server.Http.PostJsonAsync("/v2/models/rolling/infer", RestCalls.AddRequest());
                var sum = answer.Json?["outputs"]?[0]?["data"]?.ToJsonString();
                if (answer.Status != HttpStatusCode.OK || sum != "[11,22,33,44]")
                {
                    failures.Enqueue($"{(int)answer.Status} {answer.Text}");
                    continue;
                }

                Volatile.Write(ref lastSeen[client], int.Parse((string)answer.Json!["model_version"]!, System.Globalization.CultureInfo.InvariantCulture));
                Interlocked.Increment(ref answered);
            }
        }

        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(c))).ToArray();
        try
        {
            for (var version = 2; version <= NewVersions + 1; version++)
            {
                // Each load starts only once clients have been answered since the last one, so loads and requests overlap.
                await WaitForAnswersAsync(() => Interlocked.Read(ref answered), AnswersBetweenLoads);

                _server.WriteAddVersion("rolling", version);
                var load = await _server.Http.PostEmptyAsync("/v2/repository/models/rolling/load");
                Assert.True(load.Status == HttpStatusCode.OK, load.Text);
                await AssertServedVersionAsync(version);

                await WaitForAnswersAsync(() => Interlocked.Read(ref answered), AnswersBetweenLoads);
                var reload = await _server.Http.PostEmptyAsync("/v2/repository/models/rolling/load");
                Assert.True(reload.Status == HttpStatusCode.OK, reload.Text);
                await AssertServedVersionAsync(version);
            }

            // Every client's next answer comes from the newest version.
            await WaitUntilAsync(() => Enumerable.Range(0, Clients).All(c => Volatile.Read(ref lastSeen[c]) == NewVersions + 1));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed during reloads; first: {failures.FirstOrDefault()}");
        Assert.True(answered >= NewVersions * 2 * AnswersBetweenLoads, $"only {answered} requests were answered");
        Assert.All(lastSeen, v => Assert.Equal(NewVersions + 1, v));
    }

    private async Task AssertServedVersionAsync(int version)
    {
        var probe = await _server.Http.PostJsonAsync("/v2/models/rolling/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, probe.Status);
        Assert.Equal(version.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)probe.Json!["model_version"]);
    }

    private static Task WaitForAnswersAsync(Func<long> answered, int more)
    {
        var target = answered() + more;
        return WaitUntilAsync(() => answered() >= target);
    }

    /// <summary>Waits for a condition the clients make true; bounded so that a stuck client fails the test.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the clients made no progress");
            await Task.Delay(5);
        }
    }
}
