using Kukai.Cli;

return await KukaiCli.RunAsync(args).ConfigureAwait(false);
