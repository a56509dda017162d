using System.CommandLine;
using Ferry.Server;
using Ferry.Storage;

namespace Ferry.Cli.Commands;

/// <summary>The <c>--home</c> and <c>--store</c> options of commands that work on the metadata store in-process.</summary>
internal sealed class StoreOptions
{
    public Option<string> Home { get; } = new("--home")
    {
        Description = "Where Ferry keeps its state (default ~/.ferry, or $FERRY_HOME).",
        DefaultValueFactory = _ => ServerOptions.DefaultHome(),
    };

    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Metadata store: postgresql://... or sqlite:PATH (default: <home>/ferry.db).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Home);
        command.Options.Add(Store);
    }

    public Task<IMetadataStore> OpenAsync(ParseResult result, CancellationToken cancellationToken) =>
        MetadataStores.OpenAsync(result.GetValue(Store), Path.GetFullPath(result.GetValue(Home)!), null, cancellationToken);
}
