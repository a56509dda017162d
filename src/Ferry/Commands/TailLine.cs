using System.Globalization;
using System.Text;
using Ferry.Monitoring.Log;

namespace Ferry.Cli.Commands;

/// <summary>One logged prediction as a line of <c>ferry logs tail</c>: time, id/row, version, latency, status, inputs → outputs.</summary>
public static class TailLine
{
    public static string Format(LoggedPrediction row)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{row.Timestamp:HH:mm:ss.fff} {row.RequestId}/{row.Row} v{row.Version} {row.LatencyMs:0.00}ms {row.Status} ");
        line.AppendJoin(' ', row.Inputs.Select(kv => $"{kv.Key}={kv.Value}"));
        line.Append(" -> ");
        line.AppendJoin(' ', row.Outputs.Select(kv => $"{kv.Key}={kv.Value}"));
        return line.ToString();
    }
}
