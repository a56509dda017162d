using System.Collections.Concurrent;
using System.Net;

namespace Ferry.Server.Tests.Hostile;

/// <summary>
/// Acceptance: 10,000 malformed or hostile requests produce only 4xx answers, never a 5xx or a hang, and the server
/// answers correctly afterwards.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed class HostileTrafficTests
{
    private const int Seed = 20261125;
    private const int Total = 10_000;
    private const int Workers = 4;
    private const long HundredMegabytes = 100L * 1024 * 1024;

    private readonly ServingFixture _server;

    public HostileTrafficTests(ServingFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task HostileTraffic_GetsOnly4xxAnswers_AndServerStillAnswersCorrectly()
    {
        var problems = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var next = -1;

        async Task WorkAsync()
        {
            // Two of the requests are 100 MB bodies, streamed: one with Content-Length, one chunked, both without
            // 100-continue, so the client is writing the body while the server refuses it.
            int index;
            while ((index = Interlocked.Increment(ref next)) < Total - 2)
            {
                var request = HostileRequests.Create(Seed, index);
                using var message = request.ToMessage();
                await SendAsync(message, request.ToString(), statuses, problems);
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync)).ToList();
        workers.Add(SendHugeAsync(knownLength: true, statuses, problems));
        workers.Add(SendHugeAsync(knownLength: false, statuses, problems));
        await Task.WhenAll(workers);

        Assert.True(problems.IsEmpty, $"{problems.Count} requests got no 4xx answer; one of each kind:\n"
            + string.Join("\n", problems.DistinctBy(p => p[(p.IndexOf("<- ", StringComparison.Ordinal) + 3)..].Split(' ')[0]).Take(20)));
        Assert.Equal(Total, statuses.Values.Sum());
        Assert.All(statuses.Keys, status => Assert.InRange(status, 400, 499));

        var live = await _server.Http.GetAnswerAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        var answer = await _server.Http.PostJsonAsync("/v2/models/add/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("[11,22,33,44]", answer.Json!["outputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal("[10,40,90,160]", answer.Json!["outputs"]![1]!["data"]!.ToJsonString());
    }

    private async Task SendHugeAsync(bool knownLength, ConcurrentDictionary<int, int> statuses, ConcurrentQueue<string> problems)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v2/models/add/infer") { Content = new RepeatingContent(HundredMegabytes, knownLength) };
        message.Headers.TransferEncodingChunked = !knownLength;
        await SendAsync(message, $"100 MB body ({(knownLength ? "Content-Length" : "chunked")})", statuses, problems);
    }

    private async Task SendAsync(HttpRequestMessage message, string description, ConcurrentDictionary<int, int> statuses, ConcurrentQueue<string> problems)
    {
        try
        {
            using var response = await _server.Http.SendAsync(message);
            var answer = await RestAnswer.ReadAsync(response);
            var status = (int)answer.Status;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status is < 400 or > 499 || answer.Json?["error"] is null)
            {
                problems.Enqueue($"{status} {answer.Text} <- {description}");
            }
        }
        catch (HttpRequestException e)
        {
            problems.Enqueue($"{e.GetType().Name}: {e.Message} {e.InnerException?.Message} <- {description}");
        }
    }
}
