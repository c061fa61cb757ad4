using System.Globalization;
using Npgsql;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;

namespace Truto.Mappings.Server.Cluster;

/// <summary>
/// The provider rate limits of every instance on one PostgreSQL database (<c>Store:Provider=postgresql</c>):
/// a GCRA (generic cell rate algorithm) per provider, account and declared window whose only state, the
/// theoretical arrival time of the next call, is a row of <c>provider_rate_limits</c> (an app-wide
/// window's row has the account ''). One statement books a call across all its windows (the function
/// <see cref="BookingFunction"/>, which reads the database clock, <c>clock_timestamp()</c>, so instances'
/// clocks never matter) and returns when it may go; the caller then waits that long here, cancellably.
/// </summary>
/// <remarks>
/// <para>Semantics as the in-process <see cref="ProviderRateLimiters"/>: per window, calls are spaced by
/// the declared period / requests (rounded up to the microsecond the database keeps), up to the declared
/// burst at once; in any span of length w at most burst + w × rate calls are granted, cluster-wide; a
/// call is granted when every window allows it, and only then counts in any.</para>
/// <para>A call that could go only after the caller's longest wait (what its deadline leaves) is refused
/// at once (<see cref="RateLimitWindowExhaustedException"/>, a 429 with Retry-After) and books nothing.
/// The in-process queue bound becomes a bound on how far ahead a call may be booked: at most
/// <c>queueLimit</c> × (period / requests) of the window that holds it back, the time the queue would
/// take to drain. Past it the call is refused at once (<see cref="RateLimitQueueFullException"/>, a 429)
/// and books nothing. A booked call whose wait is cancelled (its caller left) wastes its slot: giving it
/// back would need a second statement and could release a slot already passed.</para>
/// <para>Why PostgreSQL and not Redis: one booking is one round trip. The one-window upsert this
/// replaced measured (tests/Truto.Mappings.Benchmarks, RateLimitBenchmarks) 2.5 ms alone and 0.82 ms
/// each with 8 concurrent on one account on a 2-core machine under a load average of 30; the booking
/// function 0.95 ms alone, 0.51 ms contended and 1.13 ms for four windows under a load average of 5 to
/// 7 — about 1,000 bookings a second per account or more. The highest rate a provider YAML declares is
/// 40 calls a second per account (Pipedrive), so PostgreSQL keeps up with room to spare, and it is
/// already required for the shared store: Redis would add a second engine for no gain that matters.</para>
/// <para>Idle rows are deleted at most once per <see cref="CleanupInterval"/> per instance, after a
/// booking, off the caller's path: a row whose arrival time has passed means exactly what no row
/// means, so deleting it changes nothing.</para>
/// </remarks>
public sealed partial class PostgresRateLimiter : IProviderRateLimiter, IAsyncDisposable, IDisposable
{
    /// <summary>How often an instance deletes idle rows.</summary>
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a booking may take before the call fails with a 503 instead of hanging on the database.</summary>
    public static readonly TimeSpan DefaultAcquireTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The booking, created by the store's migration: one call across every window of it, in one
    /// round trip. The rows (one per window: provider, account or '' for an app-wide window, window)
    /// are created when missing, then locked in the caller's order (sorted, so two bookings never
    /// deadlock); "now" is read once all are held. The call is granted at the latest of now and each
    /// window's tat - tau; refused (nothing written) when that is beyond the caller's longest wait
    /// ('window') or beyond the holding window's horizon ('queue'); otherwise every window moves on
    /// from the granted time: tat = max(tat, granted) + interval.
    /// </summary>
    public const string BookingFunction = """
        CREATE FUNCTION book_provider_call(p_provider TEXT, p_accounts TEXT[], p_windows TEXT[], p_intervals INTERVAL[],
            p_taus INTERVAL[], p_horizons INTERVAL[], p_max_wait INTERVAL)
        RETURNS TABLE (granted_at TIMESTAMPTZ, wait INTERVAL, holding INTEGER, outcome TEXT)
        LANGUAGE plpgsql AS $book$
        DECLARE
            n INTEGER := cardinality(p_windows);
            tats TIMESTAMPTZ[] := '{}';
            found_tat TIMESTAMPTZ;
            now_t TIMESTAMPTZ;
            grant_t TIMESTAMPTZ;
            held INTEGER := 0;
        BEGIN
            INSERT INTO provider_rate_limits (provider, account, rate_window, tat, touched_at)
            SELECT p_provider, u.a, u.w, '-infinity', clock_timestamp()
            FROM unnest(p_accounts, p_windows) WITH ORDINALITY AS u(a, w, i) ORDER BY u.i
            ON CONFLICT (provider, account, rate_window) DO NOTHING;
            FOR i IN 1..n LOOP
                SELECT r.tat INTO found_tat FROM provider_rate_limits r
                WHERE r.provider = p_provider AND r.account = p_accounts[i] AND r.rate_window = p_windows[i] FOR UPDATE;
                tats[i] := found_tat;
            END LOOP;
            now_t := clock_timestamp();
            grant_t := now_t;
            FOR i IN 1..n LOOP
                tats[i] := greatest(tats[i], now_t);
                IF tats[i] - p_taus[i] > grant_t THEN
                    grant_t := tats[i] - p_taus[i];
                    held := i;
                END IF;
            END LOOP;
            IF held > 0 AND p_max_wait IS NOT NULL AND grant_t - now_t > p_max_wait THEN
                RETURN QUERY SELECT grant_t, grant_t - now_t, held, 'window'::TEXT;
                RETURN;
            END IF;
            IF held > 0 AND grant_t - now_t > p_horizons[held] THEN
                RETURN QUERY SELECT grant_t, grant_t - now_t, held, 'queue'::TEXT;
                RETURN;
            END IF;
            FOR i IN 1..n LOOP
                UPDATE provider_rate_limits SET tat = greatest(tats[i], grant_t) + p_intervals[i], touched_at = now_t
                WHERE provider = p_provider AND account = p_accounts[i] AND rate_window = p_windows[i];
            END LOOP;
            RETURN QUERY SELECT grant_t, greatest(grant_t - clock_timestamp(), interval '0'), held, 'granted'::TEXT;
        END
        $book$;
        """;

    private const string Book = "SELECT granted_at, wait, holding, outcome FROM book_provider_call(@provider, @accounts, @windows, @intervals, @taus, @horizons, @max_wait)";

    private const string Cleanup = "DELETE FROM provider_rate_limits WHERE tat < clock_timestamp() - @idle";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _queueLimit;
    private readonly TimeSpan _acquireTimeout;
    private readonly bool _ownsDataSource;
    private long _lastCleanup;

    /// <summary>
    /// A limiter over the database <paramref name="connectionString"/> names, with a pool of its own
    /// (tools, tests, benchmarks); <paramref name="queueLimit"/> bounds bookings ahead as described above.
    /// </summary>
    public PostgresRateLimiter(string connectionString, TimeProvider time, ILogger<PostgresRateLimiter> logger,
        int queueLimit = ProviderRateLimiters.DefaultQueueLimit, TimeSpan? acquireTimeout = null)
        : this(NpgsqlDataSource.Create(connectionString), time, logger, queueLimit, acquireTimeout)
    {
        _ownsDataSource = true;
    }

    /// <summary>A limiter on the server's one pool (<paramref name="dataSource"/>, shared and disposed by its owner).</summary>
    public PostgresRateLimiter(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresRateLimiter> logger,
        int queueLimit = ProviderRateLimiters.DefaultQueueLimit, TimeSpan? acquireTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLimit, 0);
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _queueLimit = queueLimit;
        _acquireTimeout = acquireTimeout ?? DefaultAcquireTimeout;
        _lastCleanup = time.GetTimestamp();
    }

    /// <inheritdoc />
    public async ValueTask WaitAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return;
        }
        var booking = await BookAsync(provider, account, windows, maxWait, cancellationToken).ConfigureAwait(false);
        if (booking.Delay > TimeSpan.Zero)
        {
            // Cancelling here wastes the booked slot (see the remarks).
            await Task.Delay(booking.Delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Books one call across <paramref name="windows"/> (one statement) and returns when it is granted,
    /// by the database clock, and how long from now that is.
    /// </summary>
    /// <param name="provider">The integration name.</param>
    /// <param name="account">The integrated account (ignored by windows counted per app).</param>
    /// <param name="windows">The declared windows; the call goes when every one allows it.</param>
    /// <param name="maxWait">The longest the caller may wait (<see cref="Timeout.InfiniteTimeSpan"/>: no bound).</param>
    /// <param name="cancellationToken">Ends the booking.</param>
    /// <exception cref="RateLimitWindowExhaustedException">The call could go only after <paramref name="maxWait"/>; nothing is booked.</exception>
    /// <exception cref="RateLimitQueueFullException">The call would be booked beyond the bound; nothing is booked.</exception>
    /// <exception cref="RateLimiterUnavailableException">The database failed or did not answer within the acquire timeout.</exception>
    public async Task<RateLimitBooking> BookAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        // Sorted by (account, window): the function locks rows in this order, the same for every booking.
        var rows = windows
            .Select(w => (Account: w.Scope == RateLimitScope.App ? "" : account, Window: WindowKey(w), Rate: w, Interval: Interval(w)))
            .OrderBy(r => r.Account, StringComparer.Ordinal).ThenBy(r => r.Window, StringComparer.Ordinal)
            .ToArray();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_acquireTimeout);
        DateTimeOffset grantedAt;
        TimeSpan wait;
        int holding;
        string outcome;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(Book, connection);
            command.Parameters.AddWithValue("provider", provider);
            command.Parameters.AddWithValue("accounts", rows.Select(r => r.Account).ToArray());
            command.Parameters.AddWithValue("windows", rows.Select(r => r.Window).ToArray());
            command.Parameters.AddWithValue("intervals", rows.Select(r => r.Interval).ToArray());
            command.Parameters.AddWithValue("taus", rows.Select(r => r.Interval * Math.Max(r.Rate.Burst - 1, 0)).ToArray());
            command.Parameters.AddWithValue("horizons", rows.Select(r => r.Interval * _queueLimit).ToArray());
            command.Parameters.Add(new NpgsqlParameter("max_wait", NpgsqlTypes.NpgsqlDbType.Interval)
            {
                Value = maxWait == Timeout.InfiniteTimeSpan ? DBNull.Value : maxWait,
            });
            await using var reader = await command.ExecuteReaderAsync(timeout.Token).ConfigureAwait(false);
            await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            grantedAt = reader.GetFieldValue<DateTimeOffset>(0);
            wait = reader.GetFieldValue<TimeSpan>(1);
            holding = reader.GetInt32(2);
            outcome = reader.GetString(3);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RateLimiterUnavailableException(provider, new TimeoutException($"No answer within {_acquireTimeout.TotalSeconds:0.###} s.", e));
        }
        catch (NpgsqlException e)
        {
            throw new RateLimiterUnavailableException(provider, e);
        }
        StartCleanupWhenDue();
        return outcome switch
        {
            "window" => throw new RateLimitWindowExhaustedException(provider, rows[holding - 1].Rate, wait),
            "queue" => throw new RateLimitQueueFullException(provider),
            _ => new RateLimitBooking(grantedAt, wait),
        };
    }

    /// <summary>A window's row key: "240/60s" (requests per period); its burst is a parameter of each booking, not part of its identity.</summary>
    public static string WindowKey(RequestRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return string.Create(CultureInfo.InvariantCulture, $"{rate.Requests}/{rate.Period.TotalSeconds}s");
    }

    /// <summary>
    /// The spacing between calls: the declared period / requests, rounded UP to the microsecond
    /// PostgreSQL keeps, so the cluster never goes faster than the declaration.
    /// </summary>
    public static TimeSpan Interval(RequestRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        var micros = (long)Math.Ceiling(rate.Period.Ticks / (double)TimeSpan.TicksPerMicrosecond / Math.Max(rate.Requests, 1));
        return TimeSpan.FromTicks(Math.Max(micros, 1) * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Deletes rows idle for a while (their arrival time passed): at most once per <see cref="CleanupInterval"/>.</summary>
    public async Task CleanupAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(Cleanup, connection);
        command.Parameters.AddWithValue("idle", CleanupInterval);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        LogCleaned(_logger, deleted);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private void StartCleanupWhenDue()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastCleanup);
        if (_time.GetElapsedTime(last, now) < CleanupInterval || Interlocked.CompareExchange(ref _lastCleanup, now, last) != last)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await CleanupAsync(CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Housekeeping off the caller's path: a failure is logged and tried again next interval.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCleanupFailed(_logger, e.GetType().Name);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} idle provider rate-limit rows")]
    private static partial void LogCleaned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting idle provider rate-limit rows failed ({Error}); tried again later")]
    private static partial void LogCleanupFailed(ILogger logger, string error);
}
