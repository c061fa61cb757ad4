using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Execution;

/// <summary>The outcome for one id: deleted (with what the provider said about it) or failed.</summary>
/// <param name="Id">The requested id.</param>
/// <param name="Root">The provider's whole answer, when it sent JSON and the id succeeded.</param>
/// <param name="Item">The provider's item for this id (the whole answer for single calls).</param>
/// <param name="Error">The error envelope when the id failed; null when it was deleted.</param>
internal sealed record IdOutcome(string Id, JsonElement? Root, JsonElement? Item, TrutoError? Error)
{
    /// <summary>
    /// The batch call (counted from 1) whose failure as a whole is this id's error: the answer
    /// then writes that error once, in <c>chunk_errors</c>, and this id refers to it. Null otherwise.
    /// </summary>
    public int? Chunk { get; init; }

    /// <summary>True when the id was deleted (or was already gone).</summary>
    public bool Succeeded => Error is null;
}
