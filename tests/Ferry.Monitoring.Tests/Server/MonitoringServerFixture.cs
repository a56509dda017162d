using Ferry.Monitoring.Log;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Monitoring.Tests.Server;

/// <summary>
/// A real server with the prediction log on a fake clock: <c>clf</c> (identity over [n,1], so its prediction is the
/// input), <c>add</c> ([n,4] inputs, two outputs) and <c>fare</c> (outputs in the order of an ML.NET export: the input
/// <c>km</c> passed through, then <c>Score.output</c> = 2 km), all batching.
/// </summary>
public class MonitoringServerFixture : FerryServerFixture, IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public PredictionLogWriter Writer => App.Services.GetRequiredService<PredictionLogWriter>();

    public SegmentGate Gate => App.Services.GetRequiredService<SegmentGate>();

    /// <summary>The log folder; a subclass may point it somewhere unwritable.</summary>
    protected virtual string LogDirectory => Path.Combine(Home, "predictions");

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void WriteModels(string repository)
    {
        OnnxModelBuilder.Identity(DataType.Fp32, null, 1).WriteTo(repository, "clf");
        File.WriteAllText(Path.Combine(repository, "clf", "config.json"), """{"max_batch_size": 8}""");
        OnnxModelBuilder.AddFloats().WriteTo(repository, "add");
        File.WriteAllText(Path.Combine(repository, "add", "config.json"), """{"max_batch_size": 8}""");
        OnnxModelBuilder.PassThroughThenScore().WriteTo(repository, "fare");
        File.WriteAllText(Path.Combine(repository, "fare", "config.json"), """{"max_batch_size": 8}""");
    }

    protected override void ConfigureServer(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.Configure<PredictionLogOptions>(o =>
        {
            o.Directory = LogDirectory;
            o.ChannelCapacity = 4;
        });
    }
}

/// <summary>The same server with its log folder under a regular file, where no folder can be made.</summary>
public sealed class UnwritableLogFixture : MonitoringServerFixture
{
    protected override string LogDirectory
    {
        get
        {
            var file = Path.Combine(Home, "not-a-folder");
            File.WriteAllText(file, "");
            return Path.Combine(file, "predictions");
        }
    }
}
