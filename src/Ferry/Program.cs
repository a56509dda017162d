using Ferry.Cli.Commands;

return await FerryCommands.Build().Parse(args).InvokeAsync();
