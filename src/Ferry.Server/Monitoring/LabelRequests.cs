using System.Text.Json;
using Ferry.Monitoring.Labels;

namespace Ferry.Server.Monitoring;

/// <summary>Reads a label post: one <c>{"request_id", "label", "row"?}</c> object or an array of them.</summary>
public static class LabelRequests
{
    public static List<GroundTruth> Parse(JsonElement root, DateTimeOffset receivedAt)
    {
        var labels = new List<GroundTruth>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray())
            {
                labels.Add(One(item, receivedAt, labels.Count));
            }
        }
        else
        {
            labels.Add(One(root, receivedAt, 0));
        }

        return labels;
    }

    private static GroundTruth One(JsonElement item, DateTimeOffset receivedAt, int index)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("request_id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException($"label {index}: request_id (a string) is required");
        }

        if (!item.TryGetProperty("label", out var label))
        {
            throw new ArgumentException($"label {index}: label is required");
        }

        var value = label.ValueKind switch
        {
            JsonValueKind.String => new LabelValue(null, label.GetString()),
            JsonValueKind.Number => new LabelValue(label.GetDouble(), null),
            JsonValueKind.True => new LabelValue(1, null),
            JsonValueKind.False => new LabelValue(0, null),
            _ => throw new ArgumentException($"label {index}: label must be a number, a string or a boolean"),
        };
        var row = item.TryGetProperty("row", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0;
        return new GroundTruth(id.GetString()!, row, value, receivedAt);
    }
}
