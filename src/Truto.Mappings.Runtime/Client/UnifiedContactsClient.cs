using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Formats;
using Truto.Mappings.Http;

namespace Truto.Mappings.Client;

/// <summary>
/// The unified contacts API as a library: <c>DELETE /unified/crm/contacts/{id}</c> and
/// <c>POST /unified/crm/contacts/batch-delete</c> over any provider of the catalogue. Every
/// answer, failures included, is a <see cref="UnifiedResult"/> holding the exact HTTP body.
/// </summary>
public sealed class UnifiedContactsClient
{
    private const string JsonContentType = "application/json; charset=utf-8";

    // API JSON, not HTML: keep provider text readable (no \u0027 for apostrophes).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ProviderCatalog _catalog;
    private readonly ProviderTransport _transport;
    private readonly TrutoMappingsOptions _options;
    private readonly TimeProvider _time;

    internal UnifiedContactsClient(ProviderCatalog catalog, ProviderTransport transport, IOptions<TrutoMappingsOptions> options, TimeProvider time)
    {
        _catalog = catalog;
        _transport = transport;
        _options = options.Value;
        _time = time;
    }

    /// <summary>The providers this client can call.</summary>
    public ProviderCatalog Providers => _catalog;

    /// <summary>Deletes one contact and answers with it, mapped (not wrapped).</summary>
    public async Task<UnifiedResult> DeleteAsync(IntegratedAccount account, string id, UnifiedRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        options ??= UnifiedRequestOptions.Default;
        if (string.IsNullOrWhiteSpace(id))
        {
            return Failure(TrutoError.BadRequest("id", "The contact id is empty."));
        }
        var (adapter, unsupported) = Resolve(account, ContactsMethod.Delete);
        if (adapter is null)
        {
            return Failure(unsupported!);
        }
        var call = TryBuildCall(adapter, account, ContactsMethod.Delete, new RequestValues(id, [id], account.Context), options, null, out var buildError);
        if (call is null)
        {
            return Failure(buildError!);
        }
        var stream = options.Format == ResponseFormat.Stream;
        var response = await _transport.SendAsync(call, stream, cancellationToken).ConfigureAwait(false);
        var headers = RateLimitHeaders(adapter, [response]);
        if (response.TransportError is { } transport)
        {
            response.Dispose();
            return Failure(transport, headers);
        }
        if (options.Format is ResponseFormat.Raw or ResponseFormat.Stream)
        {
            return PassThrough(response, headers, stream);
        }
        using (response)
        {
            var outcome = Interpret(adapter, ContactsMethod.Delete, response, id);
            if (outcome.Error is { } error)
            {
                return Failure(error, headers);
            }
            var selection = Selection(options);
            return Json(200, headers, json =>
            {
                json.WriteStartObject();
                WriteContact(adapter, ContactsMethod.Delete, json, selection, options, outcome);
                json.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// Deletes several contacts: in chunks of the provider's batch limit through its batch
    /// endpoint, or one delete per id (fan-out), as its YAML says. Every id is answered exactly
    /// once, in <c>result</c> or in <c>errors</c>.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="ids">The ids (body ids first, then query ids; see <see cref="Requests.IdList.Merge"/>).</param>
    /// <param name="remoteData">The body's <c>remote_data</c>, merged over the provider's request body.</param>
    /// <param name="options">The Truto parameters.</param>
    /// <param name="progress">Told after each provider call how far the batch has come (large batches take many calls).</param>
    /// <param name="cancellationToken">Cancels the provider calls.</param>
    public async Task<UnifiedResult> BatchDeleteAsync(IntegratedAccount account, IReadOnlyList<string> ids, JsonElement? remoteData = null, UnifiedRequestOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(ids);
        options ??= UnifiedRequestOptions.Default;
        var unique = ids.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        if (unique.Count == 0)
        {
            return Failure(TrutoError.BadRequest("id", "No contact ids were given: send them as \"id\" in the body or as id[] in the query."));
        }
        if (unique.Count > _options.MaxBatchIds)
        {
            return Failure(TrutoError.BadRequest("id", $"{unique.Count} ids were given; one call takes at most {_options.MaxBatchIds}."));
        }
        if (remoteData is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null and not JsonValueKind.Undefined })
        {
            return Failure(TrutoError.BadRequest("remote_data", "remote_data must be a JSON object."));
        }
        var (adapter, unsupported) = Resolve(account, ContactsMethod.BatchDelete);
        if (adapter is null)
        {
            return Failure(unsupported!);
        }
        var info = adapter.Info.Find(ContactsMethod.BatchDelete)!;
        var fanOut = info.Strategy == BatchStrategy.FanOut;
        var method = fanOut ? ContactsMethod.Delete : ContactsMethod.BatchDelete;
        var chunks = unique.Chunk(fanOut ? 1 : info.MaxIds).ToList();

        if (options.Format is ResponseFormat.Raw or ResponseFormat.Stream)
        {
            if (chunks.Count > 1)
            {
                return Failure(TrutoError.BadRequest("truto_response_format",
                    $"truto_response_format={(options.Format == ResponseFormat.Raw ? "raw" : "stream")} passes one provider answer through, but these {unique.Count} ids take {chunks.Count} provider calls ({adapter.Info.DisplayName} takes {(fanOut ? "one id" : info.MaxIds + " ids")} per call). Use unified or normalized, or send fewer ids."));
            }
            var single = TryBuildCall(adapter, account, method, new RequestValues(unique[0], unique, account.Context), options, remoteData, out var buildError);
            if (single is null)
            {
                return Failure(buildError!);
            }
            var stream = options.Format == ResponseFormat.Stream;
            var raw = await _transport.SendAsync(single, stream, cancellationToken).ConfigureAwait(false);
            var rawHeaders = RateLimitHeaders(adapter, [raw]);
            return raw.TransportError is { } transport ? Failure(transport, rawHeaders) : PassThrough(raw, rawHeaders, stream);
        }

        // Build every request first, so a missing context key is a 400 before any provider call.
        var calls = new ProviderCall[chunks.Count];
        for (var i = 0; i < chunks.Count; i++)
        {
            var call = TryBuildCall(adapter, account, method, new RequestValues(chunks[i][0], chunks[i], account.Context), options, remoteData, out var buildError);
            if (call is null)
            {
                return Failure(buildError!);
            }
            calls[i] = call;
        }

        var outcomes = new IReadOnlyList<IdOutcome>[chunks.Count];
        var responses = new ProviderResponse[chunks.Count];
        var (completed, deleted, failed) = (0, 0, 0);
        var gate = new Lock();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chunks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = info.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var response = await _transport.SendAsync(calls[i], stream: false, token).ConfigureAwait(false);
                responses[i] = response;
                outcomes[i] = fanOut ? [Interpret(adapter, ContactsMethod.Delete, response, chunks[i][0])] : InterpretBatch(adapter, response, chunks[i]);
                if (progress is not null)
                {
                    BatchProgress report;
                    lock (gate)
                    {
                        completed++;
                        deleted += outcomes[i].Count(o => o.Error is null);
                        failed += outcomes[i].Count(o => o.Error is not null);
                        report = new BatchProgress(completed, chunks.Count, deleted, failed);
                    }
                    progress.Report(report);
                }
            }).ConfigureAwait(false);

        var headers = RateLimitHeaders(adapter, responses);
        foreach (var response in responses)
        {
            response.Dispose();
        }
        var all = outcomes.SelectMany(o => o).ToList();
        var failures = all.Where(o => o.Error is not null).ToList();
        var selection = Selection(options);
        if (failures.Count == all.Count)
        {
            return Json(failures[0].Error!.StatusCode, headers, json =>
            {
                json.WriteStartObject();
                failures[0].Error!.WriteMembers(json);
                WriteErrors(json, failures);
                json.WriteEndObject();
            }, failures[0].Error);
        }
        return Json(200, headers, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("result"u8);
            foreach (var success in all.Where(o => o.Error is null))
            {
                json.WriteStartObject();
                WriteContact(adapter, method, json, selection, options, success);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (failures.Count > 0)
            {
                WriteErrors(json, failures);
            }
            json.WriteEndObject();
        });
    }

    /// <summary>The outcome for one id: deleted (with what the provider said about it) or failed.</summary>
    private sealed record IdOutcome(string Id, JsonElement? Root, JsonElement? Item, TrutoError? Error);

    private (ProviderAdapter? Adapter, TrutoError? Error) Resolve(IntegratedAccount account, ContactsMethod method)
    {
        var adapter = _catalog.Find(account.Integration);
        if (adapter is null)
        {
            return (null, TrutoError.BadRequest("integration", $"The integrated account's integration '{account.Integration}' is not known; known integrations: {string.Join(", ", _catalog.Names)}."));
        }
        if (adapter.Info.Find(method) is null)
        {
            var supported = _catalog.All.Where(a => a.Info.Find(method) is not null).Select(a => a.Info.Name);
            return (null, new TrutoError(404, $"{adapter.Info.DisplayName} has no mapping for {MethodName(method)}; integrations that have one: {string.Join(", ", supported)}."));
        }
        return (adapter, null);
    }

    private static string MethodName(ContactsMethod method) => method == ContactsMethod.Delete ? "delete" : "batch-delete";

    private ProviderCall? TryBuildCall(ProviderAdapter adapter, IntegratedAccount account, ContactsMethod method, RequestValues values, UnifiedRequestOptions options, JsonElement? remoteData, out TrutoError? error)
    {
        error = null;
        try
        {
            var baseUrl = account.Context.Find("base_url")
                ?? (_options.ProviderBaseUrls.TryGetValue(adapter.Info.Name, out var configured) ? configured : null)
                ?? adapter.BuildBaseUrl(account.Context);
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                error = TrutoError.BadRequest("base_url", $"The base URL for {adapter.Info.DisplayName} is not an absolute http(s) URL; check the account's context (base_url, or the keys its base URL is made of).");
                return null;
            }
            var request = new ProviderRequest();
            adapter.BuildRequest(method, request, values);
            adapter.Authenticate(request, account.Context);
            return new ProviderCall(adapter.Info.Name, account.Id, adapter.Info.Rate, baseUrl, request, options.RemoteQuery, remoteData);
        }
        catch (MissingContextKeyException e)
        {
            error = TrutoError.BadRequest("context." + e.Key, e.Message);
            return null;
        }
    }

    private static IdOutcome Interpret(ProviderAdapter adapter, ContactsMethod method, ProviderResponse response, string id)
    {
        if (response.TransportError is { } transport)
        {
            return new IdOutcome(id, null, null, transport);
        }
        var json = ProviderErrorReader.TryParse(response.Body);
        var success = adapter.IsSuccessStatus(method, response.Status);
        if (response.Status is >= 200 and < 300 && !response.Body.IsEmpty && json is null)
        {
            return new IdOutcome(id, null, null, Malformed(adapter, response));
        }
        if (success && !(json is { } body && adapter.ReportsFailure(method, body)))
        {
            return new IdOutcome(id, json, json, null);
        }
        var error = RemoteError(adapter, response, json, failedDespiteSuccess: success);
        return error is null ? new IdOutcome(id, null, null, null) : new IdOutcome(id, null, null, error);
    }

    private static List<IdOutcome> InterpretBatch(ProviderAdapter adapter, ProviderResponse response, string[] ids)
    {
        var whole = Interpret(adapter, ContactsMethod.BatchDelete, response, ids[0]);
        if (whole.Error is { } error)
        {
            return ids.Select(id => new IdOutcome(id, null, null, error)).ToList();
        }
        if (whole.Root is not { } root || adapter.ReadBatchItems(root, ids) is not { } items)
        {
            // No per-id report (HubSpot's 204): the call's success is every id's.
            return ids.Select(id => new IdOutcome(id, whole.Root, whole.Root, null)).ToList();
        }
        return items.Select(item => item.Succeeded || (item.Code is { } gone && adapter.IsGoneCode(gone))
                ? new IdOutcome(item.Id, root, item.Item ?? root, null)
                : new IdOutcome(item.Id, root, item.Item, ItemError(adapter, item, root)))
            .ToList();
    }

    private static TrutoError ItemError(ProviderAdapter adapter, BatchItemResult item, JsonElement root)
    {
        var status = item.Code is { } code
            ? adapter.IsRateLimitCode(code) ? 429 : adapter.StatusForErrorCode(code) ?? 400
            : item.Item is null ? 404 : 400;
        return new TrutoError(status, item.Message ?? "The provider reported a failure for this id.")
        {
            IsRemoteError = true,
            // The item when the provider reported one; else (an id it did not mention) its whole answer.
            RawResponse = item.Item ?? root,
        };
    }

    /// <summary>The error for a provider failure; null when the YAML counts the failure as "already gone".</summary>
    private static TrutoError? RemoteError(ProviderAdapter adapter, ProviderResponse response, JsonElement? json, bool failedDespiteSuccess)
    {
        var message = (json is { } body ? adapter.ReadErrorMessage(body) ?? ProviderErrorReader.CommonMessage(body) : ProviderErrorReader.TextMessage(response.Body))
            ?? $"{adapter.Info.DisplayName} answered {response.Status} {TrutoError.ReasonPhrase(response.Status)}.";
        var code = json is { } b ? adapter.ReadErrorCode(b) : null;
        if (code is not null && adapter.IsGoneCode(code))
        {
            return null;
        }
        var status = code is not null && adapter.IsRateLimitCode(code) ? 429
            : code is not null && adapter.StatusForErrorCode(code) is { } mapped ? mapped
            : failedDespiteSuccess || response.Status < 400 ? 502
            : response.Status;
        return new TrutoError(status, message) { IsRemoteError = true, RawResponse = ProviderErrorReader.ToRawResponse(response.Body) };
    }

    private static TrutoError Malformed(ProviderAdapter adapter, ProviderResponse response)
        => new(502, $"{adapter.Info.DisplayName} answered {response.Status} with a body that is not valid JSON.")
        {
            IsRemoteError = true,
            RawResponse = ProviderErrorReader.ToRawResponse(response.Body),
        };

    private static FieldSelection Selection(UnifiedRequestOptions options)
        => new(options.ExcludeFields, omitNulls: options.Format == ResponseFormat.Normalized);

    private static void WriteContact(ProviderAdapter adapter, ContactsMethod method, Utf8JsonWriter json, FieldSelection selection, UnifiedRequestOptions options, IdOutcome outcome)
    {
        var writer = new ContactWriter(json, selection);
        adapter.WriteContact(method, writer, new MappingInput(outcome.Root, outcome.Item ?? outcome.Root, outcome.Id));
        // remote_data is a record: the provider's item when it is an object (Salesforce, Zoho),
        // else its whole answer (Pipedrive and Pipeliner report bare ids per item).
        var remote = outcome.Item is { ValueKind: JsonValueKind.Object } item ? item : outcome.Root;
        if (remote is { } data && options.Format == ResponseFormat.Unified && !options.IgnoreRemoteData)
        {
            writer.WriteJson("remote_data", data);
        }
    }

    private static void WriteErrors(Utf8JsonWriter json, IReadOnlyList<IdOutcome> failures)
    {
        json.WriteStartArray("errors"u8);
        foreach (var failure in failures)
        {
            json.WriteStartObject();
            json.WriteString("id"u8, failure.Id);
            failure.Error!.WriteMembers(json);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private List<KeyValuePair<string, string>> RateLimitHeaders(ProviderAdapter adapter, IReadOnlyList<ProviderResponse> responses)
    {
        var now = _time.GetUtcNow();
        RateLimitInfo? tightest = null;
        TimeSpan? retryAfter = null;
        foreach (var response in responses.Where(r => r.TransportError is null))
        {
            var info = adapter.ReadRateLimit(response.Header, now);
            if (!info.IsEmpty && (tightest is null || (info.Remaining ?? long.MaxValue) < (tightest.Remaining ?? long.MaxValue)))
            {
                tightest = info;
            }
            var wait = response.RetryAfter?.Delta ?? (response.RetryAfter?.Date is { } date ? date - now : null);
            if (wait is { } w && (retryAfter is null || w > retryAfter))
            {
                retryAfter = w < TimeSpan.Zero ? TimeSpan.Zero : w;
            }
        }
        var headers = new List<KeyValuePair<string, string>>();
        if (tightest?.Limit is { } limit)
        {
            headers.Add(new("ratelimit-limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (tightest?.Remaining is { } remaining)
        {
            headers.Add(new("ratelimit-remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (tightest?.ResetSeconds is { } reset)
        {
            headers.Add(new("ratelimit-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (retryAfter is { } after)
        {
            headers.Add(new("Retry-After", ((long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return headers;
    }

    private static UnifiedResult PassThrough(ProviderResponse response, IReadOnlyList<KeyValuePair<string, string>> headers, bool stream)
    {
        var contentType = response.ContentType ?? "application/octet-stream";
        if (stream)
        {
            // The result owns the open response; disposing it closes the provider connection.
            return new UnifiedResult(response.Status, contentType, ReadOnlyMemory<byte>.Empty, headers, null, response.Message);
        }
        using (response)
        {
            return new UnifiedResult(response.Status, contentType, response.Body, headers, null);
        }
    }

    private static UnifiedResult Failure(TrutoError error, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        => Json(error.StatusCode, headers ?? [], error.WriteTo, error);

    private static UnifiedResult Json(int status, IReadOnlyList<KeyValuePair<string, string>> headers, Action<Utf8JsonWriter> write, TrutoError? error = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }
        return new UnifiedResult(status, JsonContentType, buffer.WrittenMemory, headers, error);
    }
}
