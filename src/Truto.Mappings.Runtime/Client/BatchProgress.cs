namespace Truto.Mappings.Client;

/// <summary>How far a batch-delete has come, reported after each provider call.</summary>
/// <param name="CompletedCalls">Provider calls answered so far.</param>
/// <param name="TotalCalls">Provider calls the batch needs (chunks, or ids when fanning out).</param>
/// <param name="Deleted">Ids reported deleted so far.</param>
/// <param name="Failed">Ids reported failed so far.</param>
public sealed record BatchProgress(int CompletedCalls, int TotalCalls, int Deleted, int Failed)
{
    /// <summary>The call this report follows, with its ids' outcomes; null when reported otherwise.</summary>
    public BatchCallAnswer? Call { get; init; }
}
