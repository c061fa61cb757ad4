using System.Text.Json.Nodes;
using Truto.Mappings.Providers;
using Truto.Mappings.Tests.Infrastructure;
using Xunit.Sdk;

namespace Truto.Mappings.Tests;

/// <summary>
/// The fixture loop fails with the fixture's real problem, never with a snapshot diff, and
/// accepting snapshots never records an answer the provider did not give. Each test copies a real
/// provider's fixture into a temporary folder and breaks it.
/// </summary>
public sealed class FixtureRunnerTests : IAsyncLifetime, IDisposable
{
    private static readonly Func<string, string?> Accepting = name => name == "TRUTO_ACCEPT_SNAPSHOTS" ? "1" : null;
    private static readonly Func<string, string?> NotAccepting = _ => null;

    private readonly string _directory = Directory.CreateTempSubdirectory("truto-fixture-").FullName;
    private FixtureRunner _runner = null!;
    private string _sourceSnapshot = "";

    [Fact]
    public async Task A_misspelled_context_key_fails_with_the_runtimes_error_not_a_snapshot_diff()
    {
        var (provider, key) = CopyWithMisspelledKey();
        // A snapshot that recorded the 400 earlier must not hide the cause either.
        await File.WriteAllTextAsync(Path.Combine(_directory, "case.verified.json"), "{}\n");

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => _runner.RunAsync(_directory, provider, "case", NotAccepting));

        Assert.Contains("answered 400 before calling the provider", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("differs", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "case.received.json")));
    }

    [Fact]
    public async Task Accepting_snapshots_never_records_a_4xx_answered_before_any_provider_call()
    {
        var (provider, key) = CopyWithMisspelledKey();

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => _runner.RunAsync(_directory, provider, "case", Accepting));

        Assert.Contains($"'{key}'", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "case.verified.json")));
    }

    [Fact]
    public async Task Accepting_snapshots_records_a_fixture_that_reached_the_provider()
    {
        var (provider, _) = Copy();

        await _runner.RunAsync(_directory, provider, "case", Accepting);

        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "case.verified.json")))!;
        Assert.NotEmpty(snapshot["provider_requests"]!.AsArray());
    }

    [Fact]
    public async Task A_request_no_answer_is_for_fails_naming_the_request_and_the_keys()
    {
        var (provider, _) = Copy();
        var fixture = ReadCase();
        fixture["answers"]![0]!["request"] = new JsonObject { ["method"] = "DELETE", ["path"] = "/not/the/path" };
        WriteCase(fixture);

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => _runner.RunAsync(_directory, provider, "case", Accepting));

        Assert.Contains("No recorded answer for ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The answers are for: DELETE /not/the/path", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "case.verified.json")));
    }

    [Fact]
    public async Task Several_answers_without_request_keys_are_refused()
    {
        var (provider, _) = Copy();
        var fixture = ReadCase();
        fixture["answers"]!.AsArray().Add(fixture["answers"]![0]!.DeepClone());
        WriteCase(fixture);

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => _runner.RunAsync(_directory, provider, "case", Accepting));

        Assert.Contains("every answer needs a \"request\" key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_no_request_took_fails_the_fixture()
    {
        var (provider, _) = Copy();
        var fixture = ReadCase();
        var answers = fixture["answers"]!.AsArray();
        var sent = JsonNode.Parse(File.ReadAllText(_sourceSnapshot))!["provider_requests"]![0]!;
        answers[0]!["request"] = new JsonObject { ["method"] = (string)sent["method"]!, ["path"] = (string)sent["path"]! };
        answers.Add(new JsonObject { ["request"] = new JsonObject { ["method"] = "GET", ["path"] = "/never" }, ["status"] = 200 });
        WriteCase(fixture);

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => _runner.RunAsync(_directory, provider, "case", Accepting));

        Assert.Contains("answer(s) no request took: GET /never", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A provider with a required top-level context key (no dotted path) and one of its recorded
    /// delete fixtures, copied as <c>case.json</c>; taken from the catalog, so no provider is named here.
    /// </summary>
    private (string Provider, string Key) Copy()
    {
        var info = GeneratedProviders.All.Select(a => a.Info)
            .First(i => i.ContextKeys.Any(k => !k.Contains('.', StringComparison.Ordinal)) && Directory.Exists(Path.Combine(MappingSnapshotTests.FixturesDirectory, i.Name)));
        var source = Path.Combine(MappingSnapshotTests.FixturesDirectory, info.Name);
        var fixture = Directory.EnumerateFiles(source, "delete.*.json").Where(f => !f.Contains(".verified.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        File.Copy(fixture, Path.Combine(_directory, "case.json"));
        _sourceSnapshot = Path.ChangeExtension(fixture, ".verified.json");
        File.Copy(Path.Combine(source, "account.json"), Path.Combine(_directory, "account.json"));
        return (info.Name, info.ContextKeys.First(k => !k.Contains('.', StringComparison.Ordinal)));
    }

    private (string Provider, string Key) CopyWithMisspelledKey()
    {
        var (provider, key) = Copy();
        var path = Path.Combine(_directory, "account.json");
        var account = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var value = account[key]!.DeepClone();
        account.Remove(key);
        account[key + "_typo"] = value;
        File.WriteAllText(path, account.ToJsonString());
        return (provider, key);
    }

    private JsonObject ReadCase() => JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "case.json")))!.AsObject();

    private void WriteCase(JsonObject fixture) => File.WriteAllText(Path.Combine(_directory, "case.json"), fixture.ToJsonString());

    public async Task InitializeAsync() => _runner = await FixtureRunner.StartAsync();

    public async Task DisposeAsync() => await _runner.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
