using Ferry.Tracking.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Registry;

/// <summary>
/// Serves the registry's models at start, then reads the registry every <see cref="RegistryOptions.PollInterval"/>
/// so that aliases moved through other replicas reach this one. A failed read (store down) is logged and the loop
/// goes on: the versions loaded keep serving.
/// </summary>
public sealed partial class RegistryPollingService(
    RegistryServing serving, RegistryOptions options, TimeProvider time, ILogger<RegistryPollingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SyncAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(options.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SyncAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SyncAsync(CancellationToken stoppingToken)
    {
        try
        {
            await serving.SyncAllAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogSyncFailed(e, e.Message);
        }
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Reading the registry for served models failed; serving what is loaded: {Reason}")]
    private partial void LogSyncFailed(Exception exception, string reason);
}
