using System.Reflection;
using Ferry.Server.Rest;

namespace Ferry.Server.Hosting;

/// <summary>What the server says of itself in <c>GET /v2</c> and gRPC ServerMetadata.</summary>
public sealed class ServerInfo
{
    /// <summary>Triton's names for the protocol extensions Ferry implements.</summary>
    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data", "model_repository", "model_configuration"];

    public ServerInfo()
    {
        var version = typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        Version = plus >= 0 ? version[..plus] : version;
        Metadata = new ServerMetadata("ferry", Version, Extensions);
    }

    public string Name => "ferry";

    public string Version { get; }

    public ServerMetadata Metadata { get; }
}
