using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ferry.Batch.Tests;

public sealed class BatchJobApiTests : IClassFixture<BatchServerFixture>
{
    private readonly BatchServerFixture _server;

    public BatchJobApiTests(BatchServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Submit_ThenPoll_RunsTheJobToSucceeded()
    {
        TestData.Write(Path.Combine(_server.DataRoot, "small.csv"), TestData.Rows(500));

        var id = await SubmitAsync(new { model = "adder", input = "small.csv", output = "out/small.parquet", keep = new[] { "id" } });
        var status = await WaitFinishedAsync(id);

        Assert.Equal("succeeded", status.GetProperty("state").GetString());
        Assert.Equal(500, status.GetProperty("rows_done").GetInt64());
        Assert.Equal(500, (await OutputTable.ReadAsync(Path.Combine(_server.DataRoot, "out", "small.parquet"))).Count);
    }

    [Fact]
    public async Task Cancel_AQueuedJob_EndsCancelledWithoutOutput()
    {
        TestData.Write(Path.Combine(_server.DataRoot, "big.csv"), TestData.Rows(300_000));
        TestData.Write(Path.Combine(_server.DataRoot, "queued.csv"), TestData.Rows(10));

        // One job runs at a time: the big one holds the worker while the second waits in the queue.
        var big = await SubmitAsync(new { model = "adder", input = "big.csv", output = "big.csv.out.csv", chunk_rows = 1000 });
        var queued = await SubmitAsync(new { model = "adder", input = "queued.csv", output = "queued.out.csv" });
        using var cancel = await _server.Http.PostAsync($"/api/v1/batch/jobs/{queued}/cancel", null);
        using var cancelBig = await _server.Http.PostAsync($"/api/v1/batch/jobs/{big}/cancel", null);
        var status = await WaitFinishedAsync(queued);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.False(File.Exists(Path.Combine(_server.DataRoot, "queued.out.csv")));
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("/etc/passwd")]
    public async Task Submit_WithPathOutsideTheDataFolder_Returns400ProblemDetails(string input)
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", new { model = "adder", input, output = "x.csv" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("inside the data folder", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OfAnUnknownJob_Returns404ProblemDetails()
    {
        using var response = await _server.Http.GetAsync("/api/v1/batch/jobs/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> SubmitAsync(object body)
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/v1/batch/jobs", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the status as a client would, until the job leaves queued/running.</summary>
    private async Task<JsonElement> WaitFinishedAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var status = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/batch/jobs/{id}");
            if (status.GetProperty("state").GetString() is not ("queued" or "running"))
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {id} did not finish");
    }
}
