using Microsoft.Extensions.Logging;

namespace Ferry.Delivery.Gates;

internal static partial class GateLog
{
    [LoggerMessage(EventId = 8190, Level = LogLevel.Information, Message = "Gate for model '{Model}' version {Version}: {Outcome}; {Failed}")]
    public static partial void Checked(ILogger logger, string model, long version, string outcome, string failed);
}
