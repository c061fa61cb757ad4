using Truto.Mappings.Server;

return await ServerProgram.RunAsync(args);
