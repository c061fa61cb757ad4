namespace Truto.Mappings.Server.Storage;

/// <summary>
/// One id of a job (<c>batch_job_items</c>) and its outcome: <see cref="Outcome"/> is the JSON the
/// synchronous answer would hold for it (its <c>result</c> entry when deleted, its <c>errors</c>
/// entry when failed; null while pending and for cancelled ids, whose entry is written when read).
/// An error of a whole provider call refers to it by <see cref="ChunkKey"/> and keeps it once per
/// item in <see cref="ChunkError"/>, so the answer can number chunks across the job.
/// </summary>
public sealed record BatchJobItem(int Position, string ContactId, string State, string? Outcome, string? ChunkKey = null, string? ChunkError = null);
