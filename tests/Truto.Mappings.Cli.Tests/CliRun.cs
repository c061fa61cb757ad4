using Truto.Mappings.Testing;

namespace Truto.Mappings.Cli.Tests;

/// <summary>One command line through the CLI's entry point, in process: its exit code and both streams.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static readonly string Repository = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", ".."));
    public static readonly string Mappings = Path.Combine(Repository, "mappings");
    public static readonly string Fixtures = Path.Combine(Repository, "tests", "Truto.Mappings.Tests", "Fixtures");
    public static readonly string Cases = Path.Combine(Snapshot.SourceDirectory(), "Cases");

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return new CliRun(code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }
}
