using Ferry.Storage.Tests.Fixtures;
using Ferry.Storage.Tracking;
using Ferry.Tracking.Runs;

namespace Ferry.Storage.Tests.Tracking;

[Collection(StoresCollection.Name)]
public sealed class TrackingStoreTests(StoresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Experiments_DefaultExistsAndNamesAreUnique(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;

        var fallback = await tracking.GetExperimentAsync(0, CancellationToken.None);
        var created = await tracking.CreateExperimentAsync("churn", null, new Dictionary<string, string> { ["team"] = "ml" }, Now, CancellationToken.None);
        var again = await Assert.ThrowsAsync<FerryException>(() =>
            tracking.CreateExperimentAsync("churn", null, new Dictionary<string, string>(), Now, CancellationToken.None));
        var byName = await tracking.GetExperimentByNameAsync("churn", CancellationToken.None);

        Assert.Equal("Default", fallback?.Name);
        Assert.Equal(ErrorCode.AlreadyExists, again.Code);
        Assert.Equal(created.Id, byName?.Id);
        Assert.Equal("ml", byName?.Tags["team"]);
        Assert.NotEqual(0, created.Id);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task LogBatch_KeepsSeriesAndLatestValue_ParamsWriteOnce(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        var run = await CreateRunAsync(tracking, 0, "r1");

        // Logged out of order: the latest value is the one with the highest step, not the last written.
        await tracking.LogBatchAsync(run, new RunBatch
        {
            Metrics = [new("loss", 0.5, 2000, 2), new("loss", 0.9, 1000, 1), new("loss", 0.7, 1500, 1)],
            Params = [new("lr", "0.1")],
            Tags = [new("phase", "a")],
        }, CancellationToken.None);
        await tracking.LogBatchAsync(run, new RunBatch { Params = [new("lr", "0.1")], Tags = [new("phase", "b")] }, CancellationToken.None);
        var overwrite = await Assert.ThrowsAsync<FerryException>(() => tracking.LogBatchAsync(run, new RunBatch
        {
            Metrics = [new("loss", 0.1, 9000, 9)],
            Params = [new("lr", "0.2")],
        }, CancellationToken.None));

        var stored = await tracking.GetRunAsync(run, CancellationToken.None);
        var history = new List<MetricPoint>();
        await foreach (var point in tracking.ReadMetricHistoryAsync(run, "loss", CancellationToken.None))
        {
            history.Add(point);
        }

        Assert.Equal(ErrorCode.InvalidArgument, overwrite.Code);
        Assert.Equal(new MetricPoint("loss", 0.5, 2000, 2), Assert.Single(stored!.LatestMetrics));
        Assert.Equal("0.1", stored.Params["lr"]);
        Assert.Equal("b", stored.Tags["phase"]);
        Assert.Equal([0.9, 0.7, 0.5], history.Select(p => p.Value));
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task SearchRuns_ByParsedFilter_ReturnsMatchesInOrderAcrossPages(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        for (var i = 0; i < 10; i++)
        {
            var run = await CreateRunAsync(tracking, 0, $"run-{i}");
            await tracking.LogBatchAsync(run, new RunBatch
            {
                Metrics = [new("acc", i / 10.0, 1000, 0)],
                Params = [new("model", i % 2 == 0 ? "tree" : "linear")],
                Tags = [new("team", i < 5 ? "a" : "b")],
            }, CancellationToken.None);
        }

        var query = new RunQuery
        {
            ExperimentIds = [0],
            Filter = RunFilter.Parse("metrics.acc > 0.1 AND params.model = 'tree' AND tags.team LIKE 'a%'"),
            OrderBy = RunFilter.ParseOrderBy(["metrics.acc DESC"]),
            MaxResults = 1,
        };
        var first = await tracking.SearchRunsAsync(query, CancellationToken.None);
        var second = await tracking.SearchRunsAsync(query with { PageToken = first.NextPageToken }, CancellationToken.None);
        var upper = await tracking.SearchRunsAsync(query with { Filter = RunFilter.Parse("tags.team LIKE 'A%'") }, CancellationToken.None);
        var caseless = await tracking.SearchRunsAsync(query with { Filter = RunFilter.Parse("tags.team ILIKE 'A%'"), MaxResults = 100 }, CancellationToken.None);

        Assert.Equal("run-4", Assert.Single(first.Items).Name);
        Assert.Equal("run-2", Assert.Single(second.Items).Name);
        Assert.Null(second.NextPageToken);
        Assert.Empty(upper.Items);
        Assert.Equal(5, caseless.Items.Count);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Datasets_SameDigestIsSameVersion_AndRunInputsLinkThem(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        var (first, created) = await tracking.AddDatasetVersionAsync(Dataset("weather", "d1"), CancellationToken.None);
        var (again, createdAgain) = await tracking.AddDatasetVersionAsync(Dataset("weather", "d1"), CancellationToken.None);
        var (second, _) = await tracking.AddDatasetVersionAsync(Dataset("weather", "d2"), CancellationToken.None);
        var run = await CreateRunAsync(tracking, 0, "trainer");
        await tracking.LogInputsAsync(run, [new NewDatasetInput(Dataset("weather", "d2"), "train")], Now, CancellationToken.None);

        var uses = await tracking.ListDatasetUsesAsync(second.Id, CancellationToken.None);
        var stored = await tracking.GetRunAsync(run, CancellationToken.None);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal((run, "train"), Assert.Single(uses));
        Assert.Equal(second.Id, Assert.Single(stored!.Inputs).Dataset.Id);
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Datasets_ConcurrentFirstRegistrationsOfOneName_AllSucceedWithOneVersionPerDigest(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        const int Callers = 16;

        // Half register the same content, half each a content of their own: both unique keys are raced.
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await tracking.AddDatasetVersionAsync(Dataset("raced", i % 2 == 0 ? "same" : "own-" + i), CancellationToken.None);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(calls);

        var same = results.Where((_, i) => i % 2 == 0).Select(r => r.Version.Id).Distinct();
        Assert.Single(same);
        Assert.Equal(1, results.Count(r => r.Version.Digest == "same" && r.Created));
        Assert.Equal(Enumerable.Range(1, Callers / 2 + 1).Select(v => (long)v), results.Select(r => r.Version.Version).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task Metrics_NaNAndInfinities_AreStoredFaithfully_AndNaNMatchesNoFilter(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        var experiment = await tracking.CreateExperimentAsync("nan-" + kind, null, new Dictionary<string, string>(), Now, CancellationToken.None);
        var nan = await CreateRunAsync(tracking, experiment.Id, "nan");
        var finite = await CreateRunAsync(tracking, experiment.Id, "finite");
        await tracking.LogBatchAsync(nan, new RunBatch
        {
            Metrics = [new("m", 0.25, 1, 0), new("m", double.PositiveInfinity, 2, 1), new("m", double.NegativeInfinity, 3, 2), new("m", double.NaN, 4, 3)],
        }, CancellationToken.None);
        await tracking.LogBatchAsync(finite, new RunBatch { Metrics = [new("m", 0.5, 1, 0)] }, CancellationToken.None);

        var history = new List<double>();
        await foreach (var point in tracking.ReadMetricHistoryAsync(nan, "m", CancellationToken.None))
        {
            history.Add(point.Value);
        }

        var stored = await tracking.GetRunAsync(nan, CancellationToken.None);
        var below = await tracking.SearchRunsAsync(new RunQuery
        {
            ExperimentIds = [experiment.Id], Filter = RunFilter.Parse("metrics.m < 1"), OrderBy = [], MaxResults = 10,
        }, CancellationToken.None);
        var sorted = await tracking.SearchRunsAsync(new RunQuery
        {
            ExperimentIds = [experiment.Id], Filter = [], OrderBy = RunFilter.ParseOrderBy(["metrics.m DESC"]), MaxResults = 10,
        }, CancellationToken.None);

        Assert.Equal([0.25, double.PositiveInfinity, double.NegativeInfinity, double.NaN], history);
        Assert.True(double.IsNaN(Assert.Single(stored!.LatestMetrics).Value));
        Assert.Equal([finite], below.Items.Select(r => r.RunId));
        Assert.Equal([finite, nan], sorted.Items.Select(r => r.RunId));
    }

    [Fact]
    public void RunFilter_Malformed_ThrowsInvalidArgumentNamingThePosition()
    {
        var errors = new[] { "metrics.acc > 'high'", "params.x > '1'", "metrics.acc >", "foo.bar = 'x'", "metrics.acc > 1 OR metrics.b < 2", "tags.t = 'open" }
            .Select(f => Assert.Throws<FerryException>(() => RunFilter.Parse(f)))
            .ToArray();

        Assert.All(errors, e => Assert.Equal(ErrorCode.InvalidArgument, e.Code));
        Assert.All(errors, e => Assert.Contains("position", e.Message, StringComparison.Ordinal));
    }

    private static DatasetVersionRecord Dataset(string name, string digest) => new()
    {
        Id = "", Name = name, Version = 0, Digest = digest, SourceType = "local", Source = "/data/" + name, RowCount = 10, CreatedAt = Now,
    };

    [Theory]
    [MemberData(nameof(StoreKinds.All), MemberType = typeof(StoreKinds))]
    public async Task ReadMetricHistoryBatches_FillsEachBatchThenTheRest_InStepOrder(string kind)
    {
        await using var test = await fixture.OpenAsync(kind);
        var tracking = test.Store.Tracking;
        var run = await CreateRunAsync(tracking, 0, "batches");
        await tracking.LogBatchAsync(run, new RunBatch
        {
            Metrics = [new("m", 6, 60, 6), new("m", 0, 0, 0), new("m", 3, 30, 3), new("m", double.NaN, 50, 5), new("m", 1, 10, 1), new("m", 2, 20, 2),
                new("m", 4, 40, 4), new("other", 9, 90, 9)],
        }, CancellationToken.None);

        // The batch is a view of a reused buffer: copy it before moving on, as a consumer that keeps points must.
        var batches = new List<MetricSample[]>();
        await foreach (var batch in tracking.ReadMetricHistoryBatchesAsync(run, "m", 3, CancellationToken.None))
        {
            batches.Add(batch.ToArray());
        }

        var empty = 0;
        await foreach (var _ in tracking.ReadMetricHistoryBatchesAsync(run, "never-logged", 3, CancellationToken.None))
        {
            empty++;
        }

        Assert.Equal([3, 3, 1], batches.Select(b => b.Length));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], batches.SelectMany(b => b).Select(p => p.Step));
        Assert.Equal([0L, 10, 20, 30, 40, 50, 60], batches.SelectMany(b => b).Select(p => p.Timestamp));
        Assert.True(double.IsNaN(batches[1][2].Value));
        Assert.Equal(6.0, batches[2][0].Value);
        Assert.Equal(0, empty);
    }

    private static async Task<string> CreateRunAsync(ITrackingStore tracking, long experiment, string name)
    {
        var id = Guid.NewGuid().ToString("N");
        await tracking.CreateRunAsync(new NewRun
        {
            RunId = id, ExperimentId = experiment, Name = name, UserId = "alice", StartTime = Now.ToUnixTimeMilliseconds(), ArtifactUri = "x",
        }, CancellationToken.None);
        return id;
    }
}
