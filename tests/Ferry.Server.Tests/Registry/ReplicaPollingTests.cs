using System.Net;

namespace Ferry.Server.Tests.Registry;

/// <summary>An alias moved through one replica reaches another on its next poll of the shared store.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ReplicaPollingTests(RegistryServerFixture server)
{
    [Fact]
    public async Task AliasMovedOnOneReplica_IsServedByAnotherAfterItsNextPoll()
    {
        using var writer = server.Client(server.WriterToken);
        (await writer.UploadAsync("replicated", RegistryCalls.AddModel(), "&alias=champion")).AssertOk();
        (await writer.UploadAsync("replicated", RegistryCalls.AddModel())).AssertOk();

        var replica = new ReplicaServer(server.Home);
        await replica.OpenAndStartAsync();
        try
        {
            // The replica serves the registry from its start, before any poll.
            await WaitForVersionAsync(replica, "1", advance: false);

            (await writer.SetAliasAsync("replicated", "champion", 2)).AssertOk();
            Assert.Equal("1", await ServedVersionAsync(replica));

            await WaitForVersionAsync(replica, "2", advance: true);
        }
        finally
        {
            await replica.StopAsync();
        }
    }

    /// <summary>Asks until the replica answers with the version; with <paramref name="advance"/>, moves its clock one poll each time.</summary>
    private static async Task WaitForVersionAsync(ReplicaServer replica, string version, bool advance)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ServedVersionAsync(replica) != version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the replica never served version {version}");
            if (advance)
            {
                replica.Time.Advance(replica.Options.PollInterval);
            }

            await Task.Delay(20);
        }
    }

    private static async Task<string?> ServedVersionAsync(ReplicaServer replica)
    {
        var answer = await replica.Http.PostJsonAsync("/v2/models/replicated/infer", RestCalls.AddRequest());
        return answer.Status == HttpStatusCode.OK ? (string?)answer.Json?["model_version"] : null;
    }
}
