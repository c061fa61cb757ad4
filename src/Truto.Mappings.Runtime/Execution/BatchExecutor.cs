using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Formats;
using Truto.Mappings.Http;
using Truto.Mappings.Requests;
using Truto.Mappings.Schema;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Execution;

/// <summary>
/// Runs <c>batch</c> operations: the ids split into chunks of the operation's ids per call (1
/// when fanning out), the calls sent with its concurrency within the batch deadline, progress
/// reported after each call (with that call's ids and their entries), and every id answered exactly once — ids whose call was not sent
/// before the deadline passed are each a 504.
/// </summary>
internal sealed class BatchExecutor(CallBuilder calls, ProviderTransport transport, TrutoMappingsOptions settings, TimeProvider time) : IOperationExecutor
{
    /// <inheritdoc />
    public OperationShape Shape => OperationShape.Batch;

    /// <inheritdoc />
    public (OperationInput? Input, TrutoError? Error) Prepare(OperationInput input)
    {
        var unique = input.Ids.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        if (unique.Count == 0)
        {
            return (null, TrutoError.BadRequest("id", "No contact ids were given: send them as \"id\" in the body or as id[] in the query."));
        }
        if (unique.Count > settings.MaxBatchIds)
        {
            return (null, TrutoError.BadRequest("id", $"{unique.Count} ids were given; one call takes at most {settings.MaxBatchIds}."));
        }
        if (input.RemoteData is { ValueKind: not System.Text.Json.JsonValueKind.Object and not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined })
        {
            return (null, TrutoError.BadRequest("remote_data", "remote_data must be a JSON object."));
        }
        return (input with { Ids = unique }, null);
    }

    /// <inheritdoc />
    public async Task<UnifiedResult> ExecuteAsync(ProviderOperation operation, OAuth.AccountSession session, OperationInput input, UnifiedRequestOptions options, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        var account = session.Account;
        var batch = operation as BatchOperation ?? throw new ArgumentException($"A batch needs a {nameof(BatchOperation)}.", nameof(operation));
        var adapter = batch.Provider;
        // An id that could bend the provider request is answered in errors and never sent.
        var refused = input.Ids
            .Select(id => IdList.Refusal(id, batch) is { } refusal ? new IdOutcome(id, null, null, refusal) : null)
            .OfType<IdOutcome>()
            .ToList();
        var ids = refused.Count == 0 ? input.Ids : input.Ids.Except(refused.Select(r => r.Id), StringComparer.Ordinal).ToList();
        RuntimeMetrics.BatchAnswered(adapter.Info.Name, 0, refused.Count);
        if (ids.Count == 0)
        {
            return ResponseWriter.Batch(batch, refused, options, [], settings.MaxRawResponseBytesPerAnswer);
        }
        var chunks = ids.Chunk(batch.IdsPerCall).ToList();

        if (options.Format is ResponseFormat.Raw or ResponseFormat.Stream)
        {
            if (refused.Count > 0)
            {
                return ResponseWriter.Failure(refused[0].Error!);
            }
            if (chunks.Count > 1)
            {
                var perCall = batch is FanOutOperation ? "one id" : batch.IdsPerCall + " ids";
                return ResponseWriter.Failure(TrutoError.BadRequest("truto_response_format",
                    $"truto_response_format={(options.Format == ResponseFormat.Raw ? "raw" : "stream")} passes one provider answer through, but these {ids.Count} ids take {chunks.Count} provider calls ({adapter.Info.DisplayName} takes {perCall} per call). Use unified or normalized, or send fewer ids."));
            }
            (ProviderCall? Call, TrutoError? Error) BuildSingle(IntegratedAccount current) => calls.Build(batch, current, new RequestValues(ids[0], ids, current.Context), options, input.RemoteData);
            if (BuildSingle(account) is { Call: null, Error: { } buildError })
            {
                return ResponseWriter.Failure(buildError);
            }
            var stream = options.Format == ResponseFormat.Stream;
            ProviderResponse raw;
            using (var rawDeadline = new Deadline(settings.BatchDeadline, "Runtime:BatchDeadline", time, cancellationToken))
            {
                raw = await session.PrepareAsync(rawDeadline).ConfigureAwait(false) is { } rawRefreshFailed
                    ? ProviderResponse.Failed(rawRefreshFailed)
                    : await session.SendAsync(transport, BuildSingle, stream, rawDeadline).ConfigureAwait(false);
            }
            var rawHeaders = RateLimitHeaders.Aggregate(adapter, [raw], time.GetUtcNow());
            return raw.TransportError is { } transportError ? ResponseWriter.Failure(transportError, rawHeaders) : ResponseWriter.PassThrough(raw, rawHeaders, stream);
        }

        // Build every request first, so a missing context key is a 400 before any provider call;
        // each is built again when sent, from the session's newest tokens.
        (ProviderCall? Call, TrutoError? Error) BuildChunk(int i, IntegratedAccount current) => calls.Build(batch, current, new RequestValues(chunks[i][0], chunks[i], current.Context), options, input.RemoteData);
        for (var i = 0; i < chunks.Count; i++)
        {
            if (BuildChunk(i, account) is { Call: null, Error: { } buildError })
            {
                return ResponseWriter.Failure(buildError);
            }
        }

        var outcomes = new IReadOnlyList<IdOutcome>[chunks.Count];
        var responses = new ProviderResponse?[chunks.Count];
        var (completed, deleted, failed) = (0, 0, 0);
        var gate = new Lock();
        using var deadline = new Deadline(settings.BatchDeadline, "Runtime:BatchDeadline", time, cancellationToken);
        if (await session.PrepareAsync(deadline).ConfigureAwait(false) is { } refreshFailed)
        {
            return ResponseWriter.Failure(refreshFailed);
        }
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chunks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = batch.Info.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    if (deadline.HasPassed)
                    {
                        // Never sent: the provider has certainly not deleted these.
                        var late = new TrutoError(504, $"Not sent to {adapter.Info.DisplayName}: {deadline.Describe()} passed before this id's turn.");
                        outcomes[i] = ReferToChunk(batch, i, chunks[i].Select(id => new IdOutcome(id, null, null, late)).ToList());
                    }
                    else
                    {
                        var response = await session.SendAsync(transport, current => BuildChunk(i, current), stream: false, deadline).ConfigureAwait(false);
                        responses[i] = response;
                        outcomes[i] = ReferToChunk(batch, i, batch.AnswersInParts
                            ? OutcomeInterpreter.Parts(batch, response.Answer, await ReadPartsAsync(batch, response, token).ConfigureAwait(false), chunks[i], settings.MaxRawResponseBytes)
                            : OutcomeInterpreter.Batch(batch, response.Answer, chunks[i], settings.MaxRawResponseBytes));
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One chunk's failure is its own ids' outcome, not the whole batch's: the other
                    // chunks may have deleted contacts, and the caller must learn which.
                    var failure = new TrutoError(502, $"The answer of {adapter.Info.DisplayName} for these ids could not be handled ({e.GetType().Name}); whether they were deleted is unknown.");
                    outcomes[i] = ReferToChunk(batch, i, chunks[i].Select(id => new IdOutcome(id, null, null, failure)).ToList());
                }
                if (RuntimeMetrics.BatchEnabled)
                {
                    var succeeded = outcomes[i].Count(o => o.Succeeded);
                    RuntimeMetrics.BatchAnswered(adapter.Info.Name, succeeded, outcomes[i].Count - succeeded);
                }
                if (progress is not null)
                {
                    // This call's entries on their own, so a caller can store them before the batch ends.
                    var call = new BatchCallAnswer(i + 1, chunks[i], ResponseWriter.Batch(batch, outcomes[i], options, [], settings.MaxRawResponseBytesPerAnswer));
                    BatchProgress report;
                    lock (gate)
                    {
                        completed++;
                        deleted += outcomes[i].Count(o => o.Succeeded);
                        failed += outcomes[i].Count(o => !o.Succeeded);
                        report = new BatchProgress(completed, chunks.Count, deleted, failed)
                        {
                            Call = call,
                        };
                    }
                    progress.Report(report);
                }
            }).ConfigureAwait(false);

        var answered = responses.OfType<ProviderResponse>().ToList();
        var headers = RateLimitHeaders.Aggregate(adapter, answered, time.GetUtcNow());
        foreach (var response in answered)
        {
            response.Dispose();
        }
        var all = outcomes.SelectMany(o => o);
        if (refused.Count > 0)
        {
            // Every id once, in the order the caller gave them.
            var order = input.Ids.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index, StringComparer.Ordinal);
            all = all.Concat(refused).OrderBy(o => order[o.Id]);
        }
        return ResponseWriter.Batch(batch, all.ToList(), options, headers, settings.MaxRawResponseBytesPerAnswer);
    }

    /// <summary>The parts of a multipart answer the batch took; null for a call that failed (its status decides for every id).</summary>
    private async Task<MultipartAnswerParts?> ReadPartsAsync(BatchOperation batch, ProviderResponse response, CancellationToken cancellationToken)
        => response.TransportError is null && batch.IsSuccessStatus(response.Status)
            ? await MultipartAnswer.ReadAsync(response.Body, response.ContentType, settings.MaxResponseBytes, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>
    /// When a native batch call failed as a whole (every id carries the one error of that call),
    /// its ids refer to chunk <paramref name="index"/> + 1 so the answer writes the error once.
    /// A fan-out's calls each answer for one id: their errors stay with their id.
    /// </summary>
    private static IReadOnlyList<IdOutcome> ReferToChunk(BatchOperation batch, int index, IReadOnlyList<IdOutcome> outcomes)
    {
        if (batch is FanOutOperation || outcomes.Count == 0 || outcomes[0].Error is not { } error || !outcomes.All(o => ReferenceEquals(o.Error, error)))
        {
            return outcomes;
        }
        return outcomes.Select(o => o with { Chunk = index + 1 }).ToList();
    }
}
