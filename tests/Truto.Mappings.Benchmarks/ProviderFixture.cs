using System.Text;
using System.Text.Json.Nodes;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// A recorded provider answer from the mapping tests' fixtures (<c>tests/Truto.Mappings.Tests/Fixtures</c>,
/// embedded in this assembly so BenchmarkDotNet's child process finds them): the call, the first
/// answer's status and body bytes as the replay server sends them, and the request options.
/// </summary>
internal sealed record ProviderFixture(string Provider, string Name, string Method, IReadOnlyList<string> Ids, int Status, byte[] Body, JsonObject? Options)
{
    private const string Prefix = "fixtures/";

    /// <summary>Every fixture whose name says the provider deleted what was asked (<c>delete.success*</c>, <c>batch-delete.all-succeed</c>, <c>batch-delete.success</c>), as <c>provider/name</c>.</summary>
    public static IEnumerable<string> Successes()
        => typeof(ProviderFixture).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".json".Length])
            .Where(n => Path.GetFileName(n) is var file && (file.StartsWith("delete.success", StringComparison.Ordinal) || file is "batch-delete.all-succeed" or "batch-delete.success"))
            .Order(StringComparer.Ordinal);

    /// <summary>Loads <c>provider/name</c>.</summary>
    public static ProviderFixture Load(string key)
    {
        using var stream = typeof(ProviderFixture).Assembly.GetManifestResourceStream(Prefix + key + ".json")
            ?? throw new InvalidOperationException($"No embedded fixture {key}.");
        var fixture = JsonNode.Parse(stream)!.AsObject();
        var call = fixture["call"]!.AsObject();
        var answer = fixture["answers"]![0]!.AsObject();
        // As the replay server answers: body_text as is, a JSON body compacted.
        var body = answer["body_text"] is { } text ? (string)text! : answer["body"]?.ToJsonString() ?? "";
        var ids = call["id"] is { } id ? [(string)id!] : call["ids"]!.AsArray().Select(i => (string)i!).ToList();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return new ProviderFixture(key[..slash], key[(slash + 1)..], (string)call["method"]!, ids, (int)answer["status"]!, Encoding.UTF8.GetBytes(body), fixture["options"]?.AsObject());
    }
}
