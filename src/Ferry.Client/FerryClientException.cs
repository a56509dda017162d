using System.Net;

namespace Ferry.Client;

/// <summary>A call the server refused: the HTTP status, MLflow's <c>error_code</c> or the problem title, and the message.</summary>
public sealed class FerryClientException(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;
}
