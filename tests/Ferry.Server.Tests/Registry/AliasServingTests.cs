using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Ferry.Server.Tests.Registry;

/// <summary>Acceptance: registered models are served by alias, and moving the alias swaps versions without a failed request.</summary>
[Collection(RegistryCollection.Name)]
public sealed class AliasServingTests(RegistryServerFixture server)
{
    private const int Clients = 4;
    private const int Moves = 50;
    private const int AnswersBetweenMoves = 20;

    [Fact]
    public async Task MovingChampion_UnderConcurrentLoad_FailsNoRequestAndAnswersFollowTheAlias()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("swapped", RegistryCalls.AddModel(), "&alias=champion")).AssertOk();
        (await writer.UploadAsync("swapped", RegistryCalls.AddModel())).AssertOk();

        var failures = new ConcurrentQueue<string>();
        var answered = 0L;
        using var stop = new CancellationTokenSource();

        async Task ClientAsync()
        {
            using var http = server.Client(null);
            while (!stop.IsCancellationRequested)
            {
                var answer = await http.PostJsonAsync("/v2/models/swapped/infer", RestCalls.AddRequest());
                var sum = answer.Json?["outputs"]?[0]?["data"]?.ToJsonString();
                if (answer.Status != HttpStatusCode.OK || sum != "[11,22,33,44]")
                {
                    failures.Enqueue($"{(int)answer.Status} {answer.Text}");
                    continue;
                }

                Interlocked.Increment(ref answered);
            }
        }

        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(ClientAsync)).ToArray();
        try
        {
            for (var move = 1; move <= Moves; move++)
            {
                await WaitForAnswersAsync(() => Interlocked.Read(ref answered), AnswersBetweenMoves);
                var version = move % 2 == 1 ? 2 : 1;
                (await writer.SetAliasAsync("swapped", "champion", version, $"move {move}")).AssertOk();

                // The alias call answers once the version serves: the next request must come from it.
                var probe = await server.Http.PostJsonAsync("/v2/models/swapped/infer", RestCalls.AddRequest());
                Assert.Equal(HttpStatusCode.OK, probe.Status);
                Assert.Equal(version.ToString(CultureInfo.InvariantCulture), (string?)probe.Json!["model_version"]);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} requests failed while the alias moved; first: {failures.FirstOrDefault()}");
        Assert.True(answered >= Moves * AnswersBetweenMoves, $"only {answered} requests were answered");
    }

    [Fact]
    public async Task VersionRoute_ServesEveryAliasedVersion_AndTheBareNameServesChampion()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("routed", RegistryCalls.AddModel(), "&alias=champion")).AssertOk();
        (await writer.UploadAsync("routed", RegistryCalls.AddModel(), "&alias=challenger")).AssertOk();
        (await writer.UploadAsync("routed", RegistryCalls.AddModel())).AssertOk();

        var bare = await server.Http.PostJsonAsync("/v2/models/routed/infer", RestCalls.AddRequest());
        Assert.Equal("1", (string?)bare.Json?["model_version"]);
        var second = await server.Http.PostJsonAsync("/v2/models/routed/versions/2/infer", RestCalls.AddRequest());
        Assert.Equal("2", (string?)second.Json?["model_version"]);

        // Version 3 holds no alias, so it is registered but not served.
        var third = await server.Http.PostJsonAsync("/v2/models/routed/versions/3/infer", RestCalls.AddRequest());
        third.AssertError(HttpStatusCode.NotFound, "no version 3 loaded");

        var metadata = await server.Http.GetAnswerAsync("/v2/models/routed");
        Assert.Equal("""["1","2"]""", metadata.Json?["versions"]?.ToJsonString());
    }

    private static async Task WaitForAnswersAsync(Func<long> answered, int more)
    {
        var target = answered() + more;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (answered() < target)
        {
            Assert.True(DateTime.UtcNow < deadline, "the clients made no progress");
            await Task.Delay(5);
        }
    }
}
