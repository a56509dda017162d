namespace Ferry.Monitoring.Tests.Server;

public sealed class UnwritableLogTests : IClassFixture<UnwritableLogFixture>
{
    private readonly UnwritableLogFixture _server;

    public UnwritableLogTests(UnwritableLogFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task UnwritableLogFolder_InferenceAnswers_AndTheFailureIsCounted()
    {
        await _server.Http.InferClfAsync("unwritable-1", 1f, 0f);

        await _server.Writer.FlushAsync(seal: false, CancellationToken.None);
        await _server.Http.InferClfAsync("unwritable-2", 1f);

        Assert.True(await _server.Http.CounterAsync("ferry_prediction_log_write_failures_total") >= 1);
        Assert.Equal(0, await _server.Http.CounterAsync("ferry_prediction_log_rows_total"));
    }
}
