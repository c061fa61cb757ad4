using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// For every provider fixture (<c>Fixtures/{provider}/{case}.json</c>): the recorded provider
/// answers are served on loopback, the unified call runs through the real runtime, and the
/// provider request it sent plus the unified answer are compared with <c>{case}.verified.json</c>.
/// </summary>
public sealed class MappingSnapshotTests : IAsyncLifetime
{
    private static readonly string FixturesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Fixtures");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] SnapshotRequestHeaders = ["accept", "authorization", "content-type", "user-agent"];

    private ReplayServer _server = null!;
    private ServiceProvider _services = null!;

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
    public async Task Provider_answer_maps_to_the_verified_unified_answer(string provider, string name)
    {
        await using var run = await RunAsync(_server, _services.GetRequiredService<UnifiedContactsClient>(), provider, name);
        Snapshot.Match(Path.Combine(FixturesDirectory, provider), name, "json", Describe(run.Result, run.Requests));
    }

    /// <summary>One fixture through a client (compiled adapters here; interpreted ones in <see cref="InterpreterDifferentialTests"/>): its answers served on loopback, the call made.</summary>
    internal static async Task<FixtureRun> RunAsync(ReplayServer server, UnifiedContactsClient client, string provider, string name)
    {
        var directory = Path.Combine(FixturesDirectory, provider);
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, name + ".json")))!.AsObject();
        var context = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "account.json")))!.AsObject();
        context["base_url"] = server.Url.ToString().TrimEnd('/');
        server.Load(ReplayServer.ReadAnswers(fixture["answers"]!.AsArray()));
        var account = new IntegratedAccount("62f44730-dd91-461e-bd6a-aedd9e0ad79d", provider, AccountContext.Parse(context.ToJsonString()));
        var options = ReadOptions(fixture["options"]?.AsObject());
        var call = fixture["call"]!.AsObject();

        var result = (string)call["method"]! == "delete"
            ? await client.DeleteAsync(account, (string)call["id"]!, options)
            : await client.BatchDeleteAsync(account, call["ids"]!.AsArray().Select(i => (string)i!).ToList(),
                call["remote_data"] is { } data ? JsonSerializer.SerializeToElement(data) : null, options);
        return new FixtureRun(result, server.Received);
    }

    /// <summary>What a fixture run gives: the unified result (dispose it) and the provider requests the loopback server received.</summary>
    internal sealed record FixtureRun(UnifiedResult Result, IReadOnlyList<ReceivedRequest> Requests) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Result.DisposeAsync();
    }

    /// <summary>"Now" for every fixture: 2026-01-01T00:00:00Z.</summary>
    private static readonly DateTimeOffset FixtureNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static UnifiedRequestOptions ReadOptions(JsonObject? options) => options is null ? UnifiedRequestOptions.Default : new UnifiedRequestOptions
    {
        Format = UnifiedRequestOptions.ParseFormat((string?)options["format"]) ?? throw new InvalidDataException("Unknown format in fixture."),
        IgnoreRemoteData = (bool?)options["ignore_remote_data"] ?? false,
        ExcludeFields = options["exclude_fields"]?.AsArray().Select(f => (string)f!).ToList() ?? [],
        RemoteQuery = options["remote_query"]?.AsObject().Select(q => new KeyValuePair<string, string>(q.Key, (string)q.Value!)).ToList() ?? [],
    };

    internal static string Describe(UnifiedResult result, IReadOnlyList<ReceivedRequest> requests)
    {
        var snapshot = new JsonObject
        {
            // Fan-out sends its calls concurrently: their order is not part of the behaviour.
            ["provider_requests"] = new JsonArray(requests.OrderBy(r => r.PathAndQuery, StringComparer.Ordinal).ThenBy(r => r.Body, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["method"] = r.Method,
                ["path"] = r.PathAndQuery,
                ["headers"] = new JsonObject(SnapshotRequestHeaders.Where(r.Headers.ContainsKey).Select(h => KeyValuePair.Create(h, (JsonNode?)r.Headers[h]))),
                ["body"] = r.Body.Length == 0 ? null : JsonNode.Parse(r.Body),
            }).ToArray()),
            ["status"] = result.StatusCode,
            ["content_type"] = result.ContentType,
            ["headers"] = new JsonObject(result.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            ["body"] = result.Body.IsEmpty ? null : TryParse(result.Body),
        };
        return snapshot.ToJsonString(Indented) + "\n";
    }

    private static JsonNode? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(body.Span);
        }
    }

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        _services = Services(_server, (services, configure) => services.AddTrutoMappings(configure));
    }

    /// <summary>
    /// The runtime as every fixture runs it, over the providers <paramref name="add"/> registers: no
    /// retries (each fixture answer is consumed exactly once), a fixed clock (reset times given as
    /// instants map to the same seconds every run), the loopback server's origin allowed.
    /// </summary>
    internal static ServiceProvider Services(ReplayServer server, Func<IServiceCollection, Action<TrutoMappingsOptions>, IServiceCollection> add)
        => add(new ServiceCollection().AddSingleton<TimeProvider>(new FixedClock(FixtureNow)), o =>
            {
                o.MaxAttempts = 1;
                o.Egress.AllowedBaseUrls.Add(server.Origin);
            })
            .BuildServiceProvider();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }
}
