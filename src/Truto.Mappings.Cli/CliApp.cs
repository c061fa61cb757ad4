using System.CommandLine;
using Truto.Mappings.Cli.Commands;

namespace Truto.Mappings.Cli;

/// <summary>
/// <c>truto-mappings</c>: <c>validate</c>, <c>explain</c> and <c>map</c>. Exit codes: 0 done, 1 the
/// YAML has errors (or explain could not build a request), 2 the command line or a file given to it is wrong.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int YamlErrors = 1;
    public const int UsageError = 2;

    /// <summary>Runs one command line, writing results to <paramref name="output"/> and problems to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var folder = new Option<DirectoryInfo>("--folder")
        {
            Description = "The mappings folder: providers/ and unified/crm/contacts.yaml under it",
            DefaultValueFactory = _ => new DirectoryInfo("mappings"),
            Recursive = true,
        };
        var root = new RootCommand("The provider author's loop for Truto.Mappings: check, explain and map provider YAML without a build.")
        {
            folder,
            ValidateCommand.Create(folder, output, error),
            ExplainCommand.Create(folder, output, error),
            MapCommand.Create(folder, output, error),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync(e.Message);
            return UsageError;
        }
    }
}

/// <summary>A mistake on the command line or in a file it names, told in one sentence (exit code 2).</summary>
internal sealed class CliException(string message) : Exception(message);
