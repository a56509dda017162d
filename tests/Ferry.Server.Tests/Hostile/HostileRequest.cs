using System.Net.Http.Headers;

namespace Ferry.Server.Tests.Hostile;

/// <summary>One generated hostile request: what kind it is (for reporting), where it goes and what it carries.</summary>
public sealed record HostileRequest(string Kind, string Path, byte[] Body, string? HeaderLength = null)
{
    public HttpRequestMessage ToMessage()
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(HeaderLength is null ? "application/json" : "application/octet-stream");
        if (HeaderLength is not null)
        {
            content.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", HeaderLength);
        }

        return new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
    }

    public override string ToString()
    {
        var text = System.Text.Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300));
        return $"{Kind} POST {Path} (header length {HeaderLength ?? "none"}, {Body.Length} bytes): {text}";
    }
}
