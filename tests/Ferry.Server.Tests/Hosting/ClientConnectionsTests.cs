using System.Net.Sockets;
using System.Text;
using Ferry.Inference.Batching;

namespace Ferry.Server.Tests.Hosting;

/// <summary>
/// The server counts its open client connections for the dynamic batcher, which runs batches of half as many
/// requests on the socket thread. Alone in its collection: the count is the process's, and other tests open
/// connections of their own.
/// </summary>
[Collection(ClientConnectionsCollection.Name)]
public sealed class ClientConnectionsTests : IAsyncLifetime
{
    private readonly ServingFixture _server = new();

    public Task InitializeAsync() => ((IAsyncLifetime)_server).InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Connections_AreCountedWhileOpen_AndNoLongerOnceClosed()
    {
        var before = ClientConnections.Open;
        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(_server.HttpAddress.Host, _server.HttpAddress.Port);
                // A request on each, so Kestrel has surely taken the connection in by the time it answers.
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v2/health/live HTTP/1.1\r\nHost: ferry\r\n\r\n"));
                var buffer = new byte[512];
                Assert.True(await stream.ReadAsync(buffer) > 0);
                clients.Add(client);
            }

            Assert.Equal(before + 20, ClientConnections.Open);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ClientConnections.Open > before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(before, ClientConnections.Open);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClientConnectionsCollection
{
    public const string Name = "client connections";
}
