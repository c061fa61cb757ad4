using System.Text.Json;

namespace Truto.Mappings.Adapters;

/// <summary>
/// An operation of shape <c>batch</c>: many ids, sent in chunks of <see cref="IdsPerCall"/> with
/// <see cref="OperationInfo.Concurrency"/> calls in flight. Generated native batches derive from
/// this directly; <see cref="FanOutOperation"/> sends each id through a single-id operation.
/// </summary>
public abstract class BatchOperation : ProviderOperation
{
    /// <summary>Ids per provider call (the YAML's <c>max_ids</c>; 1 when fanning out).</summary>
    public virtual int IdsPerCall => Info.MaxIds;

    /// <summary>
    /// Per-item outcomes of a success answer, one per requested id in request order; null when the
    /// provider reports no per-item results (then the whole call decides for every id).
    /// </summary>
    public virtual IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids) => null;

    /// <summary>
    /// True when the request is a <c>multipart/mixed</c> body of one part per id
    /// (<see cref="ProviderRequest.Parts"/>) and the answer is read part by part: each part's HTTP
    /// status says whether its id was deleted, parts are paired with ids by <c>Content-ID</c> (else
    /// by position), and an id without a part failed.
    /// </summary>
    public virtual bool AnswersInParts => false;
}
