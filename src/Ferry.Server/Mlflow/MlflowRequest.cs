using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Ferry.Server.Mlflow;

/// <summary>
/// Reads a registry request where MLflow's clients put it: the query string for GET, the JSON body otherwise, and the
/// query string again for a DELETE sent without a body (MLflow's Python client sends one, curl users often do not).
/// </summary>
internal static class MlflowRequest
{
    public static async Task<MlflowRegistryRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!HttpMethods.IsGet(request.Method) && hasBody)
        {
            return await MlflowJson.ReadAsync<MlflowRegistryRequest>(request, cancellationToken).ConfigureAwait(false);
        }

        var q = request.Query;
        return new MlflowRegistryRequest
        {
            Name = One(q, "name"),
            NewName = One(q, "new_name"),
            Description = One(q, "description"),
            Version = One(q, "version"),
            Alias = One(q, "alias"),
            Key = One(q, "key"),
            Value = One(q, "value"),
            Source = One(q, "source"),
            RunId = One(q, "run_id"),
            Filter = One(q, "filter"),
            MaxResults = One(q, "max_results") is { } max ? ParseLong(max, "max_results") : null,
            OrderBy = q.TryGetValue("order_by", out var order) ? order.OfType<string>().ToArray() : null,
            Stages = q.TryGetValue("stages", out var stages) ? stages.OfType<string>().ToArray() : null,
            PageToken = One(q, "page_token"),
        };
    }

    /// <summary>MLflow's message for a missing field, naming it.</summary>
    public static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw FerryException.Invalid($"Missing value for required parameter '{field}'.") : value;

    private static string? One(IQueryCollection query, string key) => query.TryGetValue(key, out var values) ? values.ToString() : null;

    private static long ParseLong(string text, string field) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw FerryException.Invalid($"Invalid value '{text}' for parameter '{field}': expected an integer");
}
