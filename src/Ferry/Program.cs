using Ferry.Cli.Commands;

return await FerryCommands.InvokeAsync(args);
