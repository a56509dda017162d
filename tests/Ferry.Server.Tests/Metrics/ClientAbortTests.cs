using System.Net.Sockets;
using System.Text;

namespace Ferry.Server.Tests.Metrics;

/// <summary>A client that goes away in the middle of its body is counted, not lost as a server error.</summary>
[Collection(MetricsCollection.Name)]
public sealed class ClientAbortTests
{
    private readonly MetricsFixture _server;

    public ClientAbortTests(MetricsFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData(true, "cancelled")]
    [InlineData(false, "invalid_argument")]
    public async Task Infer_WhenClientDropsMidBody_CountsFailure(bool reset, string reason)
    {
        (string, string)[] labels = [("model", "scored"), ("reason", reason)];
        var before = (await PrometheusText.ScrapeAsync(_server.Http)).Sum("ferry_inference_failures_total", labels);

        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", _server.HttpAddress.Port);
            var head = "POST /v2/models/scored/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));

            // The server asks for the body only once the endpoint reads it: from here on the request is in Ferry's hands.
            var interim = new byte[256];
            var received = await socket.ReceiveAsync(interim);
            Assert.StartsWith("HTTP/1.1 100", Encoding.ASCII.GetString(interim, 0, received), StringComparison.Ordinal);

            await socket.SendAsync("{\"inputs\": ["u8.ToArray());
            if (reset)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            socket.Close();
        }

        // The server notices on its own time: poll its counter, bounded.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        double after;
        while ((after = (await PrometheusText.ScrapeAsync(_server.Http)).Sum("ferry_inference_failures_total", labels)) == before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the dropped request was never counted as {reason}");
            await Task.Delay(20);
        }

        Assert.Equal(before + 1, after);
    }
}
