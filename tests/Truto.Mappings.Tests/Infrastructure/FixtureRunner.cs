using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>
/// Runs one provider fixture (<c>{directory}/{case}.json</c> with <c>{directory}/account.json</c>):
/// serves its recorded answers on loopback, makes the unified call through the real runtime and
/// compares the provider requests plus the unified answer with <c>{case}.verified.json</c>.
/// Before the snapshot it fails with the real cause when the fixture itself is wrong: a request no
/// answer is for, an error the runtime answered before calling the provider (a misspelled context
/// key), an answer no request took. So such a fixture never shows a snapshot diff, and
/// <c>TRUTO_ACCEPT_SNAPSHOTS=1</c> never records it.
/// </summary>
internal sealed class FixtureRunner : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    /// <summary>
    /// Request headers left out of snapshots because they change from run to run without the
    /// adapter choosing them: <c>host</c> names the loopback server's port, which the OS picks anew
    /// for every run. Every other header the adapter sends is recorded, secrets masked.
    /// </summary>
    private static readonly string[] VaryingRequestHeaders = ["host"];

    /// <summary>"Now" for every fixture: 2026-01-01T00:00:00Z.</summary>
    private static readonly DateTimeOffset FixtureNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ReplayServer _server;
    private readonly ServiceProvider _services;

    private FixtureRunner(ReplayServer server, ServiceProvider services)
    {
        _server = server;
        _services = services;
    }

    public static async Task<FixtureRunner> StartAsync()
    {
        var server = await ReplayServer.StartAsync();
        return new FixtureRunner(server, Services(server, (services, configure) => services.AddTrutoMappings(configure)));
    }

    /// <summary>
    /// The runtime as every fixture runs it, over the providers <paramref name="add"/> registers
    /// (compiled adapters, or interpreted ones in <see cref="InterpreterDifferentialTests"/>): no
    /// retries (each fixture answer is consumed exactly once), a fixed clock (reset times given as
    /// instants map to the same seconds every run), the loopback server's origin allowed.
    /// </summary>
    public static ServiceProvider Services(ReplayServer server, Func<IServiceCollection, Action<TrutoMappingsOptions>, IServiceCollection> add)
        => add(new ServiceCollection().AddSingleton<TimeProvider>(new FixedClock(FixtureNow)), o =>
            {
                o.MaxAttempts = 1;
                o.Egress.AllowedBaseUrls.Add(server.Origin);
            })
            .BuildServiceProvider();

    /// <summary>Runs <c>{directory}/{name}.json</c> as an account of <paramref name="provider"/>; <paramref name="environment"/> reads <c>CI</c> and <c>TRUTO_ACCEPT_SNAPSHOTS</c>.</summary>
    public async Task RunAsync(string directory, string provider, string name, Func<string, string?>? environment = null)
    {
        await using var run = await CallAsync(_server, _services.GetRequiredService<UnifiedContactsClient>(), directory, provider, name);
        var adapter = _services.GetRequiredService<ProviderCatalog>().Find(provider) ?? throw new InvalidOperationException($"No provider '{provider}'.");
        Snapshot.Match(directory, name, "json", Describe(run.Result, run.Requests, new SecretMask(adapter, run.Account.Context)), environment);
    }

    /// <summary>
    /// One fixture's call through <paramref name="client"/> with its answers served by
    /// <paramref name="server"/>; fails with the real cause when the fixture itself is wrong (see the
    /// class summary). The caller disposes the run.
    /// </summary>
    public static async Task<FixtureRun> CallAsync(ReplayServer server, UnifiedContactsClient client, string directory, string provider, string name)
    {
        var file = Path.Combine(directory, name + ".json");
        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        var context = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "account.json")))!.AsObject();
        context["base_url"] = server.Url.ToString().TrimEnd('/');
        var answers = ReplayServer.ReadAnswers(fixture["answers"]!.AsArray());
        if (answers.Count > 1 && answers.Any(a => a.Request is null))
        {
            // Several unkeyed answers go out in arrival order, which concurrent calls (fan-out) do not fix.
            Assert.Fail($"{file}: with more than one answer, every answer needs a \"request\" key (method, path, optional body) so it reaches the request it is for.");
        }
        server.Load(answers);
        var account = new IntegratedAccount("62f44730-dd91-461e-bd6a-aedd9e0ad79d", provider, AccountContext.Parse(context.ToJsonString()));
        var options = ReadOptions(fixture["options"]?.AsObject());
        var call = fixture["call"]!.AsObject();

        var result = (string)call["method"]! == "delete"
            ? await client.DeleteAsync(account, (string)call["id"]!, options)
            : await client.BatchDeleteAsync(account, call["ids"]!.AsArray().Select(i => (string)i!).ToList(),
                call["remote_data"] is { } data ? JsonSerializer.SerializeToElement(data) : null, options);
        var run = new FixtureRun(account, result, server.Received);
        try
        {
            if (server.Unmatched is { Count: > 0 } unmatched)
            {
                Assert.Fail($"{file}: {string.Join(" ", unmatched)}");
            }
            if (run.Requests.Count == 0 && result.StatusCode >= 400)
            {
                Assert.Fail($"{file}: the runtime answered {result.StatusCode} before calling the provider: {result.Error?.Message ?? Text(result.Body)} "
                    + "Fix the fixture (account.json, the call); an answer the provider never saw is not recorded as a snapshot.");
            }
            if (server.Unused is { Count: > 0 } unused)
            {
                Assert.Fail($"{file}: {unused.Count} answer(s) no request took: "
                    + string.Join("; ", unused.Select(a => a.Request?.ToString() ?? $"an unkeyed {a.Status}")) + ".");
            }
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a fixture call gives: the account it ran as, the unified result (dispose it) and the provider requests the loopback server received.</summary>
    public sealed record FixtureRun(IntegratedAccount Account, UnifiedResult Result, IReadOnlyList<ReceivedRequest> Requests) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Result.DisposeAsync();
    }

    private static UnifiedRequestOptions ReadOptions(JsonObject? options) => options is null ? UnifiedRequestOptions.Default : new UnifiedRequestOptions
    {
        Format = UnifiedRequestOptions.ParseFormat((string?)options["format"]) ?? throw new InvalidDataException("Unknown format in fixture."),
        IgnoreRemoteData = (bool?)options["ignore_remote_data"] ?? false,
        ExcludeFields = options["exclude_fields"]?.AsArray().Select(f => (string)f!).ToList() ?? [],
        RemoteQuery = options["remote_query"]?.AsObject().Select(q => new KeyValuePair<string, string>(q.Key, (string)q.Value!)).ToList() ?? [],
    };

    /// <summary>
    /// The snapshot: every provider request with every header the adapter sent (but
    /// <see cref="VaryingRequestHeaders"/>), sorted by name, path and body shown through the same
    /// <see cref="SecretMask"/> as the CLI's <c>explain</c>; then the unified answer.
    /// </summary>
    internal static string Describe(UnifiedResult result, IReadOnlyList<ReceivedRequest> requests, SecretMask mask)
    {
        var snapshot = new JsonObject
        {
            // Fan-out sends its calls concurrently: their order is not part of the behaviour.
            ["provider_requests"] = new JsonArray(requests.OrderBy(r => r.PathAndQuery, StringComparer.Ordinal).ThenBy(r => r.Body, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["method"] = r.Method,
                ["path"] = mask.Text(r.PathAndQuery),
                ["headers"] = new JsonObject(r.Headers.Where(h => !VaryingRequestHeaders.Contains(h.Key)).OrderBy(h => h.Key, StringComparer.Ordinal)
                    .Select(h => KeyValuePair.Create(h.Key, (JsonNode?)mask.Header(h.Key, h.Value)))),
                // JSON bodies as JSON; others (a multipart/mixed batch) as their text.
                ["body"] = r.Body.Length == 0 ? null : TryParse(System.Text.Encoding.UTF8.GetBytes(mask.Text(r.Body))),
            }).ToArray()),
            ["status"] = result.StatusCode,
            ["content_type"] = result.ContentType,
            ["headers"] = new JsonObject(result.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
            ["body"] = result.Body.IsEmpty ? null : TryParse(result.Body),
        };
        return snapshot.ToJsonString(Indented) + "\n";
    }

    private static string Text(ReadOnlyMemory<byte> body) => System.Text.Encoding.UTF8.GetString(body.Span);

    private static JsonNode? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return Text(body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
