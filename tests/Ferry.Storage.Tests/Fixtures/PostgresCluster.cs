using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ferry.Storage.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL 15 cluster in a temporary folder, on a free port of 127.0.0.1. As root it runs as the
/// <c>postgres</c> user (the server refuses to run as root). Tests get a fresh database each.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string BinFolder = "/usr/lib/postgresql/15/bin";

    private readonly string _folder;
    private readonly string _data;
    private bool _started;

    private PostgresCluster(string folder, int port)
    {
        _folder = folder;
        _data = Path.Combine(folder, "data");
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("ferry-pg-").FullName;
        var cluster = new PostgresCluster(folder, FreePort());
        try
        {
            if (Environment.UserName == "root")
            {
                await RunAsync("chown", ["-R", "postgres:postgres", folder], cancellationToken);
            }

            // fsync off: the cluster is thrown away after the run, and durability is not what these tests measure.
            await cluster.PgAsync("initdb", ["-D", cluster._data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);
            await cluster.PgAsync("pg_ctl", ["-D", cluster._data, "-l", Path.Combine(folder, "log"), "-w", "-o",
                $"-p {cluster.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"], cancellationToken);
            cluster._started = true;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await PgAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "stop"], CancellationToken.None);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task PgAsync(string tool, string[] arguments, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinFolder, tool), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(BinFolder, tool), arguments, cancellationToken);

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
