namespace Truto.Mappings.Server.Storage;

/// <summary>How many of a job's ids are in each state; <see cref="Pending"/> counts ids not answered yet, in flight included.</summary>
public sealed record BatchJobCounts(int Total, int Deleted, int Failed, int Cancelled, int Pending)
{
    /// <summary>No ids.</summary>
    public static BatchJobCounts None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The share of ids that have their outcome, 0 to 1.</summary>
    public double Progress => Total == 0 ? 1 : (double)(Total - Pending) / Total;
}
