using Ferry.Client;
using Ferry.Tests;
using Ferry.Tracking.Tests.Mlflow;

namespace Ferry.Tracking.Tests.Client;

[Collection(TrackingServerCollection.Name)]
public sealed class FerryClientTests(TrackingServerFixture server)
{
    [Fact]
    public async Task TrainingLoop_ThroughTheClient_LeavesAFinishedRunWithItsUploadedDataset()
    {
        var client = new FerryClient(server.Http);
        var name = "client-" + Guid.NewGuid().ToString("N")[..8];

        var experiment = await client.Tracking.EnsureExperimentAsync(name, CancellationToken.None);
        var same = await client.Tracking.EnsureExperimentAsync(name, CancellationToken.None);
        var run = await client.Tracking.CreateRunAsync(experiment, "fit", CancellationToken.None);
        var parameters = Enumerable.Range(0, 150).ToDictionary(i => $"p{i}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await client.Tracking.LogParamsAsync(run, parameters, CancellationToken.None);
        await client.Tracking.LogMetricsAsync(run, new Dictionary<string, double> { ["rmse"] = 2.5 }, 0, CancellationToken.None);
        var dataset = await client.Datasets.UploadAsync(name, TestAssets.SeattleWeather, CancellationToken.None);
        var again = await client.Datasets.UploadAsync(name, TestAssets.SeattleWeather, CancellationToken.None);
        await client.Tracking.LogInputAsync(run, dataset, "train", CancellationToken.None);
        await client.Tracking.EndRunAsync(run, "FINISHED", CancellationToken.None);
        var missing = await Assert.ThrowsAsync<FerryClientException>(() => client.Datasets.GetAsync(name, 9, CancellationToken.None));

        var (_, stored) = await new MlflowClient(server.Http).GetAsync($"runs/get?run_id={run}");
        Assert.Equal(experiment, same);
        Assert.Equal(150, stored["run"]!["data"]!["params"]!.AsArray().Count);
        Assert.Equal("FINISHED", (string)stored["run"]!["info"]!["status"]!);
        Assert.Equal(dataset.Digest, (string)stored["run"]!["inputs"]!["dataset_inputs"]![0]!["dataset"]!["digest"]!);
        Assert.True(dataset.Created);
        Assert.False(again.Created);
        Assert.Equal(dataset.Id, again.Id);
        Assert.Equal(1461, dataset.RowCount);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Status);
    }
}
