using System.Buffers;
using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Execution;
using Truto.Mappings.Http;

namespace Truto.Mappings.Formats;

/// <summary>
/// Writes unified answers: one mapped object (unified or normalized), a batch's
/// <c>{result, errors}</c>, the error envelope, or the provider's answer passed through (raw,
/// stream). Every body is written once with <see cref="Utf8JsonWriter"/>.
/// </summary>
internal static class ResponseWriter
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>API JSON, not HTML: keep provider text readable (no \u0027 for apostrophes).</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonEncodedText RemoteData = JsonEncodedText.Encode("remote_data");

    /// <summary>The error envelope with the error's status.</summary>
    public static UnifiedResult Failure(TrutoError error, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        => Json(error.StatusCode, headers ?? [], error.WriteTo, error);

    /// <summary>One mapped object (not wrapped), or the envelope when the id failed.</summary>
    public static UnifiedResult Single(ProviderOperation operation, IdOutcome outcome, UnifiedRequestOptions options, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        if (outcome.Error is { } error)
        {
            return Failure(error, headers);
        }
        var selection = Selection(options);
        return Json(200, headers, json =>
        {
            json.WriteStartObject();
            WriteContact(operation, new ContactWriter(json, selection), options, outcome);
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>{"result": […], "errors": […]}</c> with every id once (<c>errors</c> left out when empty);
    /// when nothing succeeded, the first failure's envelope and status with <c>errors</c> listing every id.
    /// An error of a whole batch call is written once, in <c>chunk_errors</c>, and its ids refer to
    /// it by <c>chunk</c>; all <c>raw_response</c>s together take at most <paramref name="rawBudget"/> bytes.
    /// </summary>
    public static UnifiedResult Batch(ProviderOperation operation, IReadOnlyList<IdOutcome> outcomes, UnifiedRequestOptions options, IReadOnlyList<KeyValuePair<string, string>> headers, long rawBudget)
    {
        var failures = outcomes.Where(o => !o.Succeeded).ToList();
        if (failures.Count == outcomes.Count)
        {
            var first = failures[0];
            return Json(first.Error!.StatusCode, headers, json =>
            {
                json.WriteStartObject();
                var budget = rawBudget;
                first.Error!.WriteMembers(json, ref budget, first.Chunk);
                WriteErrors(json, failures, ref budget);
                json.WriteEndObject();
            }, first.Error);
        }
        var selection = Selection(options);
        return Json(200, headers, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("result"u8);
            // One contact writer for every contact: it holds no state between them.
            var writer = new ContactWriter(json, selection);
            foreach (var success in outcomes.Where(o => o.Succeeded))
            {
                json.WriteStartObject();
                WriteContact(operation, writer, options, success);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (failures.Count > 0)
            {
                var budget = rawBudget;
                WriteErrors(json, failures, ref budget);
            }
            json.WriteEndObject();
        });
    }

    /// <summary>The provider's answer as it is (raw), or its open response (stream; the result then owns it).</summary>
    public static UnifiedResult PassThrough(ProviderResponse response, IReadOnlyList<KeyValuePair<string, string>> headers, bool stream)
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

    /// <summary>The request's field selection (exclusions, and no nulls in the normalized format).</summary>
    internal static FieldSelection Selection(UnifiedRequestOptions options)
        => new(options.ExcludeFields, omitNulls: options.Format == ResponseFormat.Normalized);

    /// <summary>The members of one unified contact, <c>remote_data</c> included (the benchmarks call it too).</summary>
    internal static void WriteContact(ProviderOperation operation, ContactWriter writer, UnifiedRequestOptions options, IdOutcome outcome)
    {
        operation.WriteContact(writer, new MappingInput(outcome.Root, outcome.Item ?? outcome.Root, outcome.Id));
        // remote_data is a record: the provider's item when it is an object (Salesforce, Zoho),
        // else its whole answer (Pipedrive and Pipeliner report bare ids per item). An answer that
        // is no object either (Freshsales' `true`, "ok", [1], null) is left out, as a 204's absent
        // body is: wrapping it would invent a member no provider has, and the raw format passes it on.
        var remote = outcome.Item is { ValueKind: JsonValueKind.Object } item ? item : outcome.Root;
        if (remote is { ValueKind: JsonValueKind.Object } data && options.Format == ResponseFormat.Unified && !options.IgnoreRemoteData)
        {
            writer.WriteJson(RemoteData, data);
        }
    }

    /// <summary><c>errors</c> (one entry per id), then <c>chunk_errors</c> (one per whole batch call that failed) when there are any.</summary>
    private static void WriteErrors(Utf8JsonWriter json, IReadOnlyList<IdOutcome> failures, ref long rawBudget)
    {
        json.WriteStartArray("errors"u8);
        foreach (var failure in failures)
        {
            json.WriteStartObject();
            json.WriteString("id"u8, failure.Id);
            failure.Error!.WriteMembers(json, ref rawBudget, failure.Chunk);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        var chunks = failures.Where(f => f.Chunk is not null).DistinctBy(f => f.Chunk).OrderBy(f => f.Chunk).ToList();
        if (chunks.Count == 0)
        {
            return;
        }
        json.WriteStartArray("chunk_errors"u8);
        foreach (var chunk in chunks)
        {
            json.WriteStartObject();
            json.WriteNumber("chunk"u8, chunk.Chunk!.Value);
            chunk.Error!.WriteMembers(json, ref rawBudget, chunk: null);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

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
