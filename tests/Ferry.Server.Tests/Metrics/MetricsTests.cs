using System.Net;

namespace Ferry.Server.Tests.Metrics;

/// <summary>After successes and failures, <c>/metrics</c> shows per model and version what was sent, in Prometheus text.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private static readonly (string, string) Model = ("model", "scored");
    private static readonly (string, string) Version = ("version", "1");
    private static readonly (string, string) Rest = ("protocol", "rest");

    private readonly HttpClient _http;

    public MetricsTests(MetricsFixture server)
    {
        _http = server.Http;
    }

    [Fact]
    public async Task Metrics_AfterTraffic_CountRequestsFailuresAndTimingsPerModelAndVersion()
    {
        var before = await PrometheusText.ScrapeAsync(_http);

        // 4 requests of batch 1 and one of batch 3 succeed.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.PostJsonAsync("/v2/models/scored/infer", RestCalls.AddRequest())).Status);
        }

        var batchOfThree = RestCalls.AddRequest(a: "[1,2,3,4,5,6,7,8,9,10,11,12]", b: "[1,2,3,4,5,6,7,8,9,10,11,12]").Replace("[1, 4]", "[3, 4]", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostJsonAsync("/v2/models/scored/infer", batchOfThree)).Status);

        // 3 invalid arguments (wrong datatype, malformed JSON, too many rows) and 2 unknown versions fail.
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostJsonAsync("/v2/models/scored/infer", RestCalls.AddRequest().Replace("FP32", "INT32", StringComparison.Ordinal))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostJsonAsync("/v2/models/scored/infer", "{\"inputs\": [")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostJsonAsync("/v2/models/scored/infer", RestCalls.AddRequest().Replace("[1, 4]", "[9, 4]", StringComparison.Ordinal))).Status);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _http.PostJsonAsync("/v2/models/scored/versions/9/infer", RestCalls.AddRequest())).Status);
        }

        var after = await PrometheusText.ScrapeAsync(_http);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal(8, Delta("ferry_inference_requests_total", Model, Version, Rest));
        Assert.Equal(3, Delta("ferry_inference_failures_total", Model, Version, Rest, ("reason", "invalid_argument")));
        Assert.Equal(2, Delta("ferry_inference_failures_total", ("reason", "not_found")));

        foreach (var histogram in new[] { "ferry_request_duration_seconds", "ferry_queue_duration_seconds", "ferry_compute_duration_seconds" })
        {
            Assert.Equal(5, Delta(histogram + "_count", Model, Version));
            Assert.Equal(5, Delta(histogram + "_bucket", Model, Version, ("le", "+Inf")));
            Assert.True(after.Matching(histogram + "_bucket", Model, Version).Count() > 10, $"{histogram} has its buckets");
        }

        Assert.Equal(5, Delta("ferry_batch_size_count", Model, Version));
        Assert.Equal(7, Delta("ferry_batch_size_sum", Model, Version));

        var pending = Assert.Single(after.Matching("ferry_pending_requests", Model));
        Assert.Equal(0, pending.Value);

        Assert.Equal(1, after.Sum("ferry_model_load_duration_seconds_count", Model, Version));
        Assert.True(after.Sum("ferry_model_load_duration_seconds_sum", Model, Version) > 0);
        Assert.Equal(1, after.Sum("ferry_model_load_duration_seconds_bucket", Model, Version, ("le", "+Inf")));

        Assert.True(after.Sum("process_cpu_seconds_total") > 0, "process CPU time is exported");
        Assert.True(after.Sum("process_working_set_bytes") > 0, "process memory is exported");
    }
}
