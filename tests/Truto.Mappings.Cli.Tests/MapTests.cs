using Truto.Mappings.Testing;

namespace Truto.Mappings.Cli.Tests;

/// <summary><c>map</c>: a recorded answer through the runtime's interpreter of outcomes and its result writer, as golden files.</summary>
public sealed class MapTests
{
    private static readonly string Snapshots = Path.Combine(Snapshot.SourceDirectory(), "Snapshots");

    public static TheoryData<string, string[]> Cases() => new()
    {
        // Per-item results paired by position: one deleted, one already deleted (a 404 in errors).
        { "salesforce.batch-delete.partial", ["salesforce", "batch-delete", "salesforce.batch-delete.partial.json", "--ids", "003Hs00000AbCdEIAZ", "003Hs00000AbCdGIAZ"] },
        // A provider error: the Truto envelope with the provider's message and raw answer.
        { "hubspot.delete.not-found", ["hubspot", "delete", "hubspot.delete.not-found.json", "--status", "404", "--ids", "51"] },
        // A success body mapped onto the contact (fields from the answer, remote_data).
        { "nutshell.delete", ["nutshell", "delete", "nutshell.delete.json", "--ids", "3-contacts"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Map_prints_the_unified_response(string name, string[] call)
    {
        string[] args = ["map", "--folder", CliRun.Mappings, call[0], call[1], Path.Combine(CliRun.Cases, "answers", call[2]), .. call[3..]];

        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Snapshots, "map." + name, "txt", run.Output);
    }

    [Fact]
    public async Task A_method_the_provider_does_not_map_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("map", "--folder", CliRun.Mappings, "hubspot", "archive", Path.Combine(CliRun.Cases, "answers", "nutshell.delete.json"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("archive", run.Error, StringComparison.Ordinal);
    }
}
