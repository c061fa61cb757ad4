namespace Truto.Mappings.Client;

/// <summary>
/// One provider call of a batch, answered (or, past the batch deadline, never sent): the ids it
/// carried and their entries, written exactly as the batch's final answer writes them — a
/// <c>result</c> entry per deleted id, an <c>errors</c> entry per failed one, <c>chunk_errors</c>
/// for a whole call that failed. A caller that stores outcomes as they come (a durable job) need
/// not wait for the whole batch: what it stored is never sent again after a crash.
/// </summary>
/// <param name="Chunk">The call's number within the batch (1-based, as <c>chunk_errors</c> numbers it).</param>
/// <param name="Ids">The ids of this call, in the order they were given.</param>
/// <param name="Answer">The batch answer for these ids alone (always JSON, never streamed).</param>
public sealed record BatchCallAnswer(int Chunk, IReadOnlyList<string> Ids, UnifiedResult Answer);
