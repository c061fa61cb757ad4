using System.Text.Json.Nodes;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// The answer of a finished job: the body the synchronous batch-delete gives for the same ids,
/// assembled from the outcome each id got (<see cref="BatchJobItem.Outcome"/>): <c>{"result": […],
/// "errors": […]}</c> with every id once, in the order given (<c>errors</c> left out when empty);
/// when nothing was deleted, the first failure's envelope and status with <c>errors</c> listing every
/// id. Errors of whole provider calls are written once in <c>chunk_errors</c>, numbered across the
/// job. Cancelled ids are in <c>errors</c> with <see cref="CancelledError"/>.
/// </summary>
public static class BatchJobAnswer
{
    /// <summary>The status and body for <paramref name="items"/> (every id of a finished job).</summary>
    public static (int Status, JsonObject Body) Build(IReadOnlyList<BatchJobItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new JsonArray();
        var errors = new JsonArray();
        var chunkErrors = new JsonArray();
        var chunkNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.State == BatchJobStatus.ItemDeleted)
            {
                results.Add(Parse(item.Outcome) ?? new JsonObject { ["id"] = item.ContactId });
                continue;
            }
            var error = item.State == BatchJobStatus.ItemCancelled || item.Outcome is null ? CancelledError(item.ContactId) : Parse(item.Outcome)!;
            if (item.ChunkKey is { } key)
            {
                // A chunk's number in one slice is not its number in the job: renumber in order of appearance.
                if (!chunkNumbers.TryGetValue(key, out var number))
                {
                    number = chunkNumbers.Count + 1;
                    chunkNumbers[key] = number;
                    if (Parse(item.ChunkError) is { } chunk)
                    {
                        chunk["chunk"] = number;
                        chunkErrors.Add(chunk);
                    }
                }
                error["chunk"] = number;
            }
            errors.Add(error);
        }
        if (results.Count == 0 && errors.Count > 0)
        {
            var first = (JsonObject)errors[0]!.DeepClone();
            first.Remove("id");
            first["errors"] = errors;
            if (chunkErrors.Count > 0)
            {
                first["chunk_errors"] = chunkErrors;
            }
            return ((int?)first["statusCode"] ?? 500, first);
        }
        var body = new JsonObject { ["result"] = results };
        if (errors.Count > 0)
        {
            body["errors"] = errors;
        }
        if (chunkErrors.Count > 0)
        {
            body["chunk_errors"] = chunkErrors;
        }
        return (200, body);
    }

    /// <summary>The <c>errors</c> entry of an id the job never sent because it was cancelled first.</summary>
    public static JsonObject CancelledError(string id) => new()
    {
        ["id"] = id,
        ["statusCode"] = 409,
        ["error"] = TrutoError.ReasonPhrase(409),
        ["message"] = "Not sent to the provider: the job was cancelled before this id's turn, so it was not deleted.",
        ["cancelled"] = true,
    };

    private static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}
