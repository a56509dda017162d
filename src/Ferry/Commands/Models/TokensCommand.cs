using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Server;
using Ferry.Server.Registry;
using Ferry.Storage;
using Ferry.Tracking.Auth;

namespace Ferry.Cli.Commands.Models;

/// <summary>
/// <c>ferry tokens create</c>: writes straight to the store in <c>--home</c> (or <c>--store</c>), because the first
/// admin token cannot be asked of an API that needs a token.
/// </summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The token's name; it is the actor in the audit history.", Required = true };
        var role = new Option<TokenRole>("--role") { Description = "reader, writer or admin.", DefaultValueFactory = _ => TokenRole.Reader };
        var home = new Option<string>("--home") { Description = "Ferry's home (default ~/.ferry, or $FERRY_HOME).", DefaultValueFactory = _ => ServerOptions.DefaultHome() };
        var store = new Option<string?>("--store") { Description = "The metadata store, as for ferry serve (default SQLite in the home)." };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        var create = new Command("create", "Create an API token; its secret is shown once.") { name, role, home, store, output };
        create.SetAction((result, ct) => ApiOptions.RunAsync(result, async () =>
        {
            var options = new RegistryOptions { Store = result.GetValue(store) };
            await using var backend = await RegistryBackend.OpenAsync(Path.GetFullPath(result.GetValue(home)!), options, null, ct);
            string secret;
            try
            {
                secret = await new TokenService(backend.Store, TimeProvider.System).CreateAsync(result.GetValue(name)!, result.GetValue(role), ct);
            }
            catch (FerryException e)
            {
                throw new CliException(e.Message);
            }

            var writer = result.InvocationConfiguration.Output;
            if (result.GetValue(output) == "json")
            {
                writer.WriteLine(new JsonObject { ["name"] = result.GetValue(name), ["role"] = result.GetValue(role).ToString().ToLowerInvariant(), ["token"] = secret }
                    .ToJsonString());
                return;
            }

            writer.WriteLine(secret);
            writer.WriteLine("Keep it now: Ferry stores only its hash and cannot show it again.");
        }));
        return new Command("tokens", "Manage API tokens.") { create };
    }
}
