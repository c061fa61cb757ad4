using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// Turns the runtime's answer for one slice of a job's ids into one outcome per id: its
/// <c>result</c> entry when deleted (the k-th deleted id in the order given is the k-th entry, as
/// the answer is written), its <c>errors</c> entry when not. A whole-call failure without
/// per-id errors (a missing context key, a refused refresh) becomes each id's error.
/// </summary>
public static class BatchJobSlice
{
    /// <summary>The outcome of every id of <paramref name="items"/> in <paramref name="answer"/>; <paramref name="sliceKey"/> makes chunk references unique across slices.</summary>
    public static IReadOnlyList<BatchJobItem> Outcomes(IReadOnlyList<BatchJobItem> items, UnifiedResult answer, string sliceKey)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(answer);
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(answer.Body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
        {
            return Fail(items, new TrutoError(502, "The runtime's answer for these ids could not be read; whether they were deleted is unknown."));
        }
        var errors = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var entry in (body["errors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)entry["id"] is { } id)
            {
                errors.TryAdd(id, entry);
            }
        }
        var chunks = (body["chunk_errors"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["chunk"] is JsonValue)
            .ToDictionary(c => (int)c["chunk"]!, c => JobJson.Write(c));
        var results = answer.IsSuccess ? (body["result"] as JsonArray ?? []).ToList() : [];
        // The envelope itself (without the per-id lists) for ids it does not list one by one.
        var envelope = (JsonObject)body.DeepClone();
        envelope.Remove("errors");
        envelope.Remove("chunk_errors");
        envelope.Remove("result");
        var next = 0;
        var outcomes = new List<BatchJobItem>(items.Count);
        foreach (var item in items)
        {
            if (errors.TryGetValue(item.ContactId, out var error))
            {
                var chunk = error["chunk"] is JsonValue number ? (int?)number : null;
                outcomes.Add(item with
                {
                    State = BatchJobStatus.ItemFailed,
                    Outcome = JobJson.Write(error),
                    ChunkKey = chunk is { } n ? $"{sliceKey}:{n}" : null,
                    ChunkError = chunk is { } c && chunks.TryGetValue(c, out var text) ? text : null,
                });
            }
            else if (answer.IsSuccess && next < results.Count)
            {
                var result = results[next++];
                outcomes.Add(item with { State = BatchJobStatus.ItemDeleted, Outcome = result is null ? "null" : JobJson.Write(result) });
            }
            else
            {
                var entry = new JsonObject { ["id"] = item.ContactId };
                foreach (var (name, value) in envelope)
                {
                    entry[name] = value?.DeepClone();
                }
                outcomes.Add(item with { State = BatchJobStatus.ItemFailed, Outcome = JobJson.Write(entry) });
            }
        }
        return outcomes;
    }

    /// <summary>Every id failed with <paramref name="error"/> (the account was deleted or needs re-authorisation, or the answer was unreadable).</summary>
    public static IReadOnlyList<BatchJobItem> Fail(IReadOnlyList<BatchJobItem> items, TrutoError error)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(error);
        return [.. items.Select(item => item with { State = BatchJobStatus.ItemFailed, Outcome = ErrorEntry(item.ContactId, error) })];
    }

    private static string ErrorEntry(string id, TrutoError error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            error.WriteMembers(json);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
