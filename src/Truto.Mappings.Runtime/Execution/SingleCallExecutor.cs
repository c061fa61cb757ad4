using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Formats;
using Truto.Mappings.Http;
using Truto.Mappings.Requests;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Execution;

/// <summary>Runs <c>single</c> operations: one id, one provider call, the mapped object (or the provider's answer passed through).</summary>
internal sealed class SingleCallExecutor(CallBuilder calls, ProviderTransport transport, TrutoMappingsOptions settings, TimeProvider time) : IOperationExecutor
{
    /// <inheritdoc />
    public OperationShape Shape => OperationShape.Single;

    /// <inheritdoc />
    public (OperationInput? Input, TrutoError? Error) Prepare(OperationInput input)
    {
        if (input.Ids is not [{ } id] || string.IsNullOrWhiteSpace(id))
        {
            return (null, TrutoError.BadRequest("id", input.Ids.Count > 1 ? $"One contact id is expected, but {input.Ids.Count} were given." : "The contact id is empty."));
        }
        return IdList.Refusal(id) is { } refusal ? (null, refusal) : (input, null);
    }

    /// <inheritdoc />
    public async Task<UnifiedResult> ExecuteAsync(ProviderOperation operation, OAuth.AccountSession session, OperationInput input, UnifiedRequestOptions options, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        var id = input.Ids[0];
        if (IdList.Refusal(id, operation) is { } refusal)
        {
            return ResponseWriter.Failure(refusal);
        }
        (ProviderCall? Call, TrutoError? Error) Build(IntegratedAccount account) => calls.Build(operation, account, new RequestValues(id, [id], account.Context), options, input.RemoteData);
        // A context the provider's declaration refuses is a 400 before any token request.
        if (Build(session.Account) is { Call: null, Error: { } buildError })
        {
            return ResponseWriter.Failure(buildError);
        }
        var stream = options.Format == ResponseFormat.Stream;
        ProviderResponse response;
        using (var deadline = new Deadline(settings.CallDeadline, "Runtime:CallDeadline", time, cancellationToken))
        {
            response = await session.PrepareAsync(deadline).ConfigureAwait(false) is { } refreshFailed
                ? ProviderResponse.Failed(refreshFailed)
                : await session.SendAsync(transport, Build, stream, deadline).ConfigureAwait(false);
        }
        var headers = RateLimitHeaders.Aggregate(operation.Provider, [response], time.GetUtcNow());
        if (response.TransportError is { } transportError)
        {
            response.Dispose();
            return ResponseWriter.Failure(transportError, headers);
        }
        if (options.Format is ResponseFormat.Raw or ResponseFormat.Stream)
        {
            return ResponseWriter.PassThrough(response, headers, stream);
        }
        using (response)
        {
            // Written before the response is released: a success maps from a pooled document over the
            // answer's own bytes, without copying them.
            var outcome = OutcomeInterpreter.Single(operation, response.Answer, id, settings.MaxRawResponseBytes, out var document);
            using (document)
            {
                return ResponseWriter.Single(operation, outcome, options, headers);
            }
        }
    }
}
