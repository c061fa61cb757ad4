namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// A call a <see cref="CountingProvider"/> received: when it arrived, with which account's
/// credentials, for which ids, and how it ended: the status sent and when the answer was sent
/// whole, or neither while it is in flight or when the caller went away first (a killed server).
/// </summary>
internal sealed record ProviderCall(DateTimeOffset At, string Method, string Path, string Authorization, IReadOnlyList<string> Ids)
{
    /// <summary>The status answered; 0 while in flight or when the caller went away first.</summary>
    public int Status { get; set; }

    /// <summary>When the whole answer was sent; null while in flight or when the caller went away first.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
}
