namespace Truto.Mappings.Server.Cluster;

/// <summary>One call booked by <see cref="PostgresRateLimiter"/>: when it is granted (the database clock) and how long from the booking that is.</summary>
/// <param name="GrantedAt">The time the call may go, by the database's clock.</param>
/// <param name="Delay">How long the caller waits from now (zero when it may go at once).</param>
public sealed record RateLimitBooking(DateTimeOffset GrantedAt, TimeSpan Delay);
