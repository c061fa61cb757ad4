return await Truto.Mappings.Cli.CliApp.RunAsync(args, Console.Out, Console.Error);
