using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ferry.Monitoring.Webhooks;

/// <summary>
/// Sends events (deployment transitions, alerts) as signed JSON POSTs to the configured endpoints, from a bounded
/// queue drained by one background loop. Publishing never blocks: when the queue is full the event is dropped and
/// counted.
/// </summary>
/// <remarks>
/// Each delivery is tried up to <see cref="WebhookOptions.MaxAttempts"/> times. Server errors (5xx), 408, 429,
/// timeouts and connection errors are retried after <see cref="WebhookOptions.InitialBackoff"/>, doubling up to
/// <see cref="WebhookOptions.MaxBackoff"/>, timed on the sender's timer clock; any other 4xx or a
/// redirect is final. Every attempt of one event carries the same <c>X-Ferry-Delivery</c> id, so a receiver that
/// answered too slowly can drop the duplicate. Events go out one at a time in the order published (a transition
/// history reads in order), so a slow endpoint delays the ones after it: that is the price of ordering, bounded by
/// attempts × timeout plus the backoffs.
/// The <see cref="HttpClient"/> is the caller's; it should not follow redirects (a webhook's 3xx is a misconfiguration).
/// </remarks>
public sealed class WebhookSender : BackgroundService
{
    private readonly Channel<WebhookEvent> _queue;
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeProvider _timers;
    private readonly ILogger<WebhookSender> _logger;

    /// <summary>A sender whose event stamps, attempt timeouts and backoffs all follow <paramref name="time"/>.</summary>
    public WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
        : this(http, options, time, time, logger)
    {
    }

    /// <summary>
    /// A sender that stamps events with <paramref name="time"/> (the host's clock, which a test may move by hours) and
    /// times attempts and backoffs on <paramref name="timers"/>: a delivery's timeout is about the network, so a jump of
    /// the host's clock must not cancel a POST in flight or leave a retry waiting for a clock nobody moves.
    /// </summary>
    public WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time, TimeProvider timers, ILogger<WebhookSender> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _timers = timers;
        _logger = logger;
        _queue = Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = false,
        });
    }

    public WebhookStats Stats { get; } = new();

    /// <summary>
    /// Raised on the sender's loop after every attempt; for a retry, once its timer is armed (so a test that advances a
    /// fake clock on this signal never advances too early). Handlers must be quick and must not throw.
    /// </summary>
    public event Action<WebhookAttempt>? AttemptFinished;

    /// <summary>
    /// Queues <paramref name="data"/> as event <paramref name="type"/> for every endpoint that wants it. False when the
    /// queue is full (the event is dropped and counted) or no endpoint wants it.
    /// </summary>
    public bool TryPublish(string type, JsonNode? data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (!AnyEndpointWants(type))
        {
            return false;
        }

        var id = Guid.NewGuid().ToString("N");
        var at = _time.GetUtcNow();
        var body = new JsonObject { ["id"] = id, ["type"] = type, ["occurredAt"] = at, ["data"] = data?.DeepClone() };
        var e = new WebhookEvent(id, type, at, JsonSerializer.SerializeToUtf8Bytes(body));
        if (_queue.Writer.TryWrite(e))
        {
            Stats.Enqueued();
            return true;
        }

        Stats.Dropped();
        WebhookLog.Dropped(_logger, type, id);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var endpoint in _options.Endpoints)
                {
                    if (!endpoint.Wants(e.Type))
                    {
                        continue;
                    }

                    try
                    {
                        await DeliverAsync(e, endpoint, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A fault of ours (a handler, a bad URL at run time): lose this delivery, keep the loop.
                        WebhookLog.LoopFailed(_logger, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: events still queued are not sent.
        }
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1: the initial backoff doubled per attempt, capped.</summary>
    public static TimeSpan Backoff(WebhookOptions options, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(options.InitialBackoff.Ticks * factor, options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task DeliverAsync(WebhookEvent e, WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Stats.Attempted();
            var (status, error) = await SendOnceAsync(e, endpoint, cancellationToken).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                Finish(new WebhookAttempt(e.Id, endpoint.Url, attempt, status, null, WebhookOutcome.Delivered, null));
                return;
            }

            var retryable = status is null or >= 500 or 408 or 429;
            if (!retryable)
            {
                WebhookLog.Rejected(_logger, e.Type, e.Id, endpoint.Url, status!.Value);
                Finish(new WebhookAttempt(e.Id, endpoint.Url, attempt, status, error, WebhookOutcome.Rejected, null));
                return;
            }

            var reason = status is { } s ? $"HTTP {s}" : error ?? "no answer";
            if (attempt >= _options.MaxAttempts)
            {
                WebhookLog.GaveUp(_logger, e.Type, e.Id, endpoint.Url, attempt, reason);
                Finish(new WebhookAttempt(e.Id, endpoint.Url, attempt, status, error, WebhookOutcome.GaveUp, null));
                return;
            }

            var delay = Backoff(_options, attempt);
            WebhookLog.Retrying(_logger, e.Type, e.Id, attempt, endpoint.Url, reason, delay);
            var wait = Task.Delay(delay, _timers, cancellationToken);
            Report(new WebhookAttempt(e.Id, endpoint.Url, attempt, status, error, WebhookOutcome.WillRetry, delay));
            await wait.ConfigureAwait(false);
        }
    }

    private async Task<(int? Status, string? Error)> SendOnceAsync(WebhookEvent e, WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _timers);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url);
        request.Content = new ByteArrayContent(e.Body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.EventHeader, e.Type);
        request.Headers.Add(WebhookSignature.DeliveryHeader, e.Id);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(endpoint.Secret, e.Body));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
    }

    private void Finish(WebhookAttempt attempt)
    {
        Stats.Finished(attempt.Outcome);
        Report(attempt);
    }

    private void Report(WebhookAttempt attempt)
    {
        try
        {
            AttemptFinished?.Invoke(attempt);
        }
        catch (Exception ex)
        {
            WebhookLog.LoopFailed(_logger, ex);
        }
    }

    private bool AnyEndpointWants(string type)
    {
        foreach (var endpoint in _options.Endpoints)
        {
            if (endpoint.Wants(type))
            {
                return true;
            }
        }

        return false;
    }
}
