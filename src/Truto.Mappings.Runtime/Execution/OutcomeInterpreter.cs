using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;

namespace Truto.Mappings.Execution;

/// <summary>
/// Turns a provider answer into per-id outcomes, with the error-status rules of the README's
/// decisions: success statuses and <c>failure_when</c>, a 2xx that is not JSON → 502, the
/// provider's message and code, gone codes → success, rate-limit codes → 429,
/// <c>status_by_code</c>, and batch items paired with ids. Pure: no I/O, no clock. What a
/// provider sends back in an error is bounded: <c>raw_response</c> to a limit
/// (<see cref="RawResponses"/>), a message to <see cref="MaxMessageLength"/> characters.
/// </summary>
internal static class OutcomeInterpreter
{
    /// <summary>The default of <see cref="TrutoMappingsOptions.MaxRawResponseBytes"/>.</summary>
    public const int DefaultMaxRawBytes = 64 * 1024;

    /// <summary>The longest provider message kept (a batch copies it into every id of a failed call).</summary>
    public const int MaxMessageLength = 500;

    /// <summary>The outcome of a call that answers for one id.</summary>
    public static IdOutcome Single(ProviderOperation operation, ProviderAnswer answer, string id, int maxRawBytes = DefaultMaxRawBytes)
    {
        if (answer.TransportError is { } transport)
        {
            return new IdOutcome(id, null, null, transport);
        }
        var adapter = operation.Provider;
        var json = ProviderErrorReader.TryParse(answer.Body);
        if (answer.Status is >= 200 and < 300 && !answer.Body.IsEmpty && json is null)
        {
            return new IdOutcome(id, null, null, Malformed(adapter, answer, maxRawBytes));
        }
        var success = operation.IsSuccessStatus(answer.Status);
        if (success && !(json is { } body && operation.ReportsFailure(body)))
        {
            return new IdOutcome(id, json, json, null);
        }
        return new IdOutcome(id, null, null, RemoteError(adapter, answer, json, failedDespiteSuccess: success, maxRawBytes));
    }

    /// <summary>
    /// The outcome of a call that answers for one id, for a caller that writes it at once: a success
    /// is read from <paramref name="document"/>, parsed over the answer's bytes with pooled buffers and
    /// no copy, which the caller disposes once the outcome is written (while the answer's bytes are
    /// still its own). Any other answer is <see cref="Single(ProviderOperation, ProviderAnswer, string, int)"/>'s
    /// outcome, detached from any document (an error outlives the answer), and <paramref name="document"/> is null.
    /// </summary>
    public static IdOutcome Single(ProviderOperation operation, ProviderAnswer answer, string id, int maxRawBytes, out JsonDocument? document)
    {
        document = null;
        if (answer.TransportError is null && !answer.Body.IsEmpty && operation.IsSuccessStatus(answer.Status) && ParseOrNull(answer.Body) is { } parsed)
        {
            if (!operation.ReportsFailure(parsed.RootElement))
            {
                document = parsed;
                return new IdOutcome(id, parsed.RootElement, parsed.RootElement, null);
            }
            parsed.Dispose();
        }
        return Single(operation, answer, id, maxRawBytes);
    }

    private static JsonDocument? ParseOrNull(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The outcomes of a call that answers for <paramref name="ids"/>, one per id in request order.</summary>
    public static IReadOnlyList<IdOutcome> Batch(BatchOperation operation, ProviderAnswer answer, IReadOnlyList<string> ids, int maxRawBytes = DefaultMaxRawBytes)
    {
        var whole = Single(operation, answer, ids[0], maxRawBytes);
        if (whole.Error is { } error)
        {
            return ids.Select(id => new IdOutcome(id, null, null, error)).ToList();
        }
        if (whole.Root is not { } root || operation.ReadBatchItems(root, ids) is not { } items)
        {
            // No per-id report (HubSpot's 204, or one call per id): the call's success is every id's.
            return ids.Select(id => new IdOutcome(id, whole.Root, whole.Root, null)).ToList();
        }
        var adapter = operation.Provider;
        return items.Select(item => item.Succeeded || (item.Code is { } gone && adapter.IsGoneCode(gone))
                ? new IdOutcome(item.Id, root, item.Item ?? root, null)
                : new IdOutcome(item.Id, root, item.Item, ItemError(adapter, item, root, maxRawBytes)))
            .ToList();
    }

    /// <summary>
    /// The outcomes of a <c>multipart/mixed</c> batch call (<see cref="BatchOperation.AnswersInParts"/>),
    /// one per id in request order. The outer status says only whether the batch was taken: a
    /// failure status is every id's error, a success is read part by part from <paramref name="read"/>
    /// (null when the answer was not read because the call failed). Parts pair with ids by
    /// <c>Content-ID</c> (the runtime numbers them from 1 in id order), or by position when the
    /// answer carries none; a 2xx part is a deleted id; a failing part's message and code come from
    /// its body through the provider's <c>errors</c> paths, its status from <c>status_by_code</c>
    /// or the part's status line; an id without a part failed (502: whether it was deleted is unknown).
    /// </summary>
    public static IReadOnlyList<IdOutcome> Parts(BatchOperation operation, ProviderAnswer answer, MultipartAnswerParts? read, IReadOnlyList<string> ids, int maxRawBytes = DefaultMaxRawBytes)
    {
        var adapter = operation.Provider;
        TrutoError? whole = null;
        if (answer.TransportError is { } transport)
        {
            whole = transport;
        }
        else if (!operation.IsSuccessStatus(answer.Status))
        {
            whole = RemoteError(adapter, answer, ProviderErrorReader.TryParse(answer.Body), failedDespiteSuccess: false, maxRawBytes);
        }
        else if (read?.Parts is null)
        {
            whole = ProviderFailure(502, $"{adapter.Info.DisplayName} answered {answer.Status} with a batch answer that could not be read: {read?.Problem ?? "it was not read"}. Whether these ids were deleted is unknown.", answer, maxRawBytes);
        }
        if (whole is not null || read?.Parts is not { } parts)
        {
            // A gone code on the whole answer (RemoteError's null) is every id's success.
            return ids.Select(id => new IdOutcome(id, null, null, whole)).ToList();
        }
        var byContentId = parts.Any(p => p.ContentId is not null)
            ? parts.Where(p => p.ContentId is not null).GroupBy(p => p.ContentId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : null;
        var outcomes = new List<IdOutcome>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var part = byContentId is null
                ? i < parts.Count ? parts[i] : null
                : byContentId.GetValueOrDefault((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            outcomes.Add(part is null ? MissingPart(adapter, answer, ids[i], maxRawBytes) : PartOutcome(adapter, part, ids[i], maxRawBytes));
        }
        return outcomes;
    }

    private static IdOutcome PartOutcome(ProviderAdapter adapter, AnswerPart part, string id, int maxRawBytes)
    {
        var answer = new ProviderAnswer(part.Status, part.Body);
        var json = ProviderErrorReader.TryParse(part.Body);
        if (part.Status is >= 200 and < 300)
        {
            return !part.Body.IsEmpty && json is null
                ? new IdOutcome(id, null, null, Malformed(adapter, answer, maxRawBytes))
                : new IdOutcome(id, json, json, null);
        }
        return RemoteError(adapter, answer, json, failedDespiteSuccess: false, maxRawBytes) is { } error
            ? new IdOutcome(id, null, null, error)
            : new IdOutcome(id, json, json, null);
    }

    /// <summary>
    /// An id the answer has no part for. Not the 404 of an id a JSON batch answer does not mention:
    /// with one request per part, a missing part is an answer cut short, not "not found".
    /// </summary>
    private static IdOutcome MissingPart(ProviderAdapter adapter, ProviderAnswer answer, string id, int maxRawBytes)
        => new(id, null, null, ProviderFailure(502, $"The batch answer of {adapter.Info.DisplayName} has no part for this id; whether it was deleted is unknown.", answer, maxRawBytes));

    private static TrutoError ItemError(ProviderAdapter adapter, BatchItemResult item, JsonElement root, int maxRawBytes)
    {
        var status = item.Code is { } code
            ? adapter.IsRateLimitCode(code) ? 429 : adapter.StatusForErrorCode(code) ?? 400
            : item.Item is null ? 404 : 400;
        // The item when the provider reported one; else (an id it did not mention) its whole answer.
        var (raw, truncated) = RawResponses.Bound(item.Item ?? root, maxRawBytes);
        return new TrutoError(status, Shorten(item.Message) ?? "The provider reported a failure for this id.")
        {
            IsRemoteError = true,
            RawResponse = raw,
            RawResponseTruncated = truncated,
        };
    }

    /// <summary>The error for a provider failure; null when the YAML counts the failure as "already gone".</summary>
    private static TrutoError? RemoteError(ProviderAdapter adapter, ProviderAnswer answer, JsonElement? json, bool failedDespiteSuccess, int maxRawBytes)
    {
        var message = Shorten(json is { } body ? adapter.ReadErrorMessage(body) ?? ProviderErrorReader.CommonMessage(body) : ProviderErrorReader.TextMessage(answer.Body))
            ?? $"{adapter.Info.DisplayName} answered {answer.Status} {TrutoError.ReasonPhrase(answer.Status)}.";
        var code = json is { } b ? adapter.ReadErrorCode(b) : null;
        if (code is not null && adapter.IsGoneCode(code))
        {
            return null;
        }
        var status = code is not null && adapter.IsRateLimitCode(code) ? 429
            : code is not null && adapter.StatusForErrorCode(code) is { } mapped ? mapped
            : failedDespiteSuccess || answer.Status < 400 ? 502
            : answer.Status;
        return ProviderFailure(status, message, answer, maxRawBytes);
    }

    private static TrutoError Malformed(ProviderAdapter adapter, ProviderAnswer answer, int maxRawBytes)
        => ProviderFailure(502, $"{adapter.Info.DisplayName} answered {answer.Status} with a body that is not valid JSON.", answer, maxRawBytes);

    /// <summary>A failure the provider's answer caused, keeping that answer as <c>raw_response</c> (cut to <paramref name="maxRawBytes"/>).</summary>
    private static TrutoError ProviderFailure(int status, string message, ProviderAnswer answer, int maxRawBytes)
    {
        var (raw, truncated) = RawResponses.FromBody(answer.Body, maxRawBytes);
        return new TrutoError(status, message) { IsRemoteError = true, RawResponse = raw, RawResponseTruncated = truncated };
    }

    /// <summary>A provider's message, cut to <see cref="MaxMessageLength"/> characters (never inside a surrogate pair).</summary>
    private static string? Shorten(string? message)
    {
        if (message is null || message.Length <= MaxMessageLength)
        {
            return message;
        }
        var length = char.IsHighSurrogate(message[MaxMessageLength - 1]) ? MaxMessageLength - 1 : MaxMessageLength;
        return string.Concat(message.AsSpan(0, length), "…");
    }
}
