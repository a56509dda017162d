using System.Collections.Concurrent;
using System.Threading.Channels;
using Ferry.Batch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Server.Batch;

/// <summary>
/// Runs submitted batch jobs in the server process: a bounded queue and <see cref="BatchJobsOptions.MaxConcurrentJobs"/>
/// workers. The scoring itself is <see cref="BatchRunner"/>'s; this class only queues, tracks and cancels.
/// </summary>
public sealed partial class BatchJobService : BackgroundService
{
    private readonly Channel<BatchJob> _queue;
    private readonly ConcurrentDictionary<string, BatchJob> _jobs = new(StringComparer.Ordinal);
    private readonly BatchRunner _runner;
    private readonly BatchJobsOptions _options;
    private readonly ILogger<BatchJobService> _logger;

    public BatchJobService(BatchRunner runner, IOptions<BatchJobsOptions> options, ILogger<BatchJobService> logger)
    {
        _runner = runner;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<BatchJob>(new BoundedChannelOptions(Math.Max(_options.QueueLimit, 1)) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <exception cref="FerryException">ResourceExhausted when the queue is full.</exception>
    public BatchJob Submit(BatchJobSpec spec)
    {
        var job = new BatchJob(Guid.NewGuid().ToString("n"), spec);
        _jobs[job.Id] = job;
        if (!_queue.Writer.TryWrite(job))
        {
            _jobs.TryRemove(job.Id, out _);
            throw new FerryException(ErrorCode.ResourceExhausted, $"the batch queue is full ({_options.QueueLimit} jobs waiting)");
        }

        return job;
    }

    public BatchJob? Find(string id) => _jobs.GetValueOrDefault(id);

    public void Cancel(BatchJob job) => job.Cancellation.Cancel();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(_options.MaxConcurrentJobs, 1)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunAsync(job, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(BatchJob job, CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, job.Cancellation.Token);
        if (linked.IsCancellationRequested)
        {
            job.State = BatchJobStates.Cancelled;
            return;
        }

        job.State = BatchJobStates.Running;
        var progress = new Progress<BatchProgress>(p =>
        {
            Interlocked.Exchange(ref job.RowsDone, p.RowsDone);
            job.RowsTotal = p.RowsTotal;
        });
        try
        {
            job.Summary = await Task.Run(() => _runner.RunAsync(job.Spec, progress, linked.Token), linked.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref job.RowsDone, job.Summary.RowsIn);
            job.State = BatchJobStates.Succeeded;
        }
        catch (OperationCanceledException)
        {
            job.State = BatchJobStates.Cancelled;
        }
        catch (Exception e) when (e is BatchUsageException or BadRowException or FerryException or IOException or Parquet.ParquetException)
        {
            job.Error = e.Message;
            job.State = BatchJobStates.Failed;
            LogJobFailed(job.Id, e.Message);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "batch job {Id} failed: {Reason}")]
    private partial void LogJobFailed(string id, string reason);
}
