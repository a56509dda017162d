using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Client;

/// <summary>Dataset versions: register a path inside the server's data folder, or upload a file.</summary>
public sealed class DatasetsClient(HttpClient http)
{
    private const string Api = "api/v1/datasets";

    /// <summary>Registers a file or folder given relative to the server's <c>&lt;home&gt;/data</c>.</summary>
    public async Task<DatasetVersion> RegisterAsync(string name, string path, CancellationToken cancellationToken) =>
        Read(await Calls.PostAsync(http, Api, new JsonObject { ["name"] = name, ["path"] = path }, cancellationToken).ConfigureAwait(false));

    /// <summary>Uploads one .csv, .parquet or .jsonl file and registers it.</summary>
    public async Task<DatasetVersion> UploadAsync(string name, string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var uri = $"{Api}?name={Uri.EscapeDataString(name)}&filename={Uri.EscapeDataString(Path.GetFileName(file))}";
        using var response = await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        return Read(await Calls.ReadAsync(response, cancellationToken).ConfigureAwait(false));
    }

    public async Task<DatasetVersion> GetAsync(string name, long version, CancellationToken cancellationToken) =>
        Read(await Calls.GetAsync(http, $"{Api}/{Uri.EscapeDataString(name)}/versions/{version}", cancellationToken).ConfigureAwait(false));

    private static DatasetVersion Read(JsonNode d) => new(
        (string)d["id"]!, (string)d["name"]!, (long)d["version"]!, (string)d["digest"]!, (string)d["source"]!, (long)d["row_count"]!,
        (bool?)d["created"] ?? false);
}
