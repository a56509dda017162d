namespace Ferry.Server;

/// <summary>Settings of the network host, bound from the <c>Ferry:Server</c> section and the CLI.</summary>
public sealed class ServerOptions
{
    public const string Section = "Ferry:Server";

    /// <summary>Address to listen on; 127.0.0.1 by default, 0.0.0.0 to serve other machines.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>HTTP/1.1 port for REST, metrics and the management API; 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 8000;

    /// <summary>HTTP/2 (cleartext) port for gRPC; 0 picks a free port, -1 turns gRPC off.</summary>
    public int GrpcPort { get; set; } = 8001;

    /// <summary>Largest request body accepted, in bytes; larger ones get 413. Default 64 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Runs request handlers on the socket threads instead of handing each request to the thread pool: two thread
    /// hops a request fewer, which on small, fast models is a large share of the server's work. A slow request then
    /// holds up the other connections served by its socket thread, so it is off by default; turn it on for models
    /// that answer in well under a millisecond on cores of their own.
    /// </summary>
    public bool InlineIo { get; set; }

    /// <summary>
    /// OTLP endpoint traces are exported to (e.g. <c>http://collector:4318/v1/traces</c> for HTTP/protobuf, or
    /// <c>http://collector:4317</c> for gRPC); null leaves tracing off unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Where Ferry keeps its state (example model, stores); default <c>~/.ferry</c>.</summary>
    public string Home { get; set; } = DefaultHome();

    public static string DefaultHome() =>
        Environment.GetEnvironmentVariable("FERRY_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ferry");
}
