using Ferry.Delivery.Model;
using Ferry.Storage.Delivery;
using Microsoft.Extensions.Logging;

namespace Ferry.Delivery;

/// <summary>One log line per transition; always registered, next to the webhook sink.</summary>
public sealed partial class LoggingDeliveryEventSink(ILogger<LoggingDeliveryEventSink> logger) : IDeliveryEventSink
{
    public Task OnTransitionAsync(Deployment deployment, DeploymentEvent transition, CancellationToken cancellationToken)
    {
        LogTransition(deployment.Name, transition.Kind, transition.Message);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Deployment {Deployment}: {Kind}: {Message}")]
    private partial void LogTransition(string deployment, string kind, string message);
}
