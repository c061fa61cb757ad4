using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>
/// For every provider fixture (<c>Fixtures/{provider}/{case}.json</c>): the recorded provider
/// answers are served on loopback, the unified call runs through the real runtime, and the
/// provider request it sent plus the unified answer are compared with <c>{case}.verified.json</c>
/// (<see cref="FixtureRunner"/>; the format is in mappings/README.md, "Writing a provider").
/// </summary>
public sealed class MappingSnapshotTests : IAsyncLifetime
{
    internal static readonly string FixturesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Fixtures");

    private FixtureRunner _runner = null!;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(FixturesDirectory, "*.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains(".verified.", StringComparison.Ordinal) && !f.Contains(".received.", StringComparison.Ordinal) && Path.GetFileName(f) != "account.json")
                     .Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetFileNameWithoutExtension(file));
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Provider_answer_maps_to_the_verified_unified_answer(string provider, string name)
        => _runner.RunAsync(Path.Combine(FixturesDirectory, provider), provider, name);

    public async Task InitializeAsync() => _runner = await FixtureRunner.StartAsync();

    public async Task DisposeAsync() => await _runner.DisposeAsync();
}
