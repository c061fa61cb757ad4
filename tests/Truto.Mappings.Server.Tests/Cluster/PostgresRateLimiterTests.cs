using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Cluster;

/// <summary>
/// The cluster-wide GCRA on a real PostgreSQL: limiters with their own connection pools stand for
/// separate instances; every check is computed from the times the database granted, never from sleeps.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresRateLimiterTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);
    private static readonly RequestRate[] Hourly = [OnePerHour];
    private static readonly TimeSpan NoBound = Timeout.InfiniteTimeSpan;
    private readonly List<PostgresRateLimiter> _limiters = [];
    private string _database = "";

    [Fact]
    public async Task Concurrent_callers_on_three_instances_never_get_more_than_burst_plus_rate_times_elapsed()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => Limiter()).ToList();
        var samples = Gen.Select(Gen.Int[1, 40], Gen.Int[20, 2000], Gen.Int[1, 8], Gen.Int[2, 40]);

        await samples.SampleAsync(async (requests, periodMs, burst, callers) =>
        {
            var rate = new RequestRate(requests, TimeSpan.FromMilliseconds(periodMs), burst);
            var account = "acc-" + Guid.NewGuid().ToString("N");
            var bookings = await Task.WhenAll(Enumerable.Range(0, callers).Select(i =>
                Task.Run(() => instances[i % instances.Count].BookAsync("hubspot", account, [rate], NoBound, CancellationToken.None))));

            Assert.All(bookings, Assert.NotNull);
            var granted = bookings.Select(b => b!.GrantedAt.UtcTicks / TimeSpan.TicksPerMicrosecond).Order().ToArray();
            var periodMicros = (long)periodMs * 1000;
            for (var i = 0; i < granted.Length; i++)
            {
                for (var j = i; j < granted.Length; j++)
                {
                    // j - i + 1 grants in [granted[i], granted[j]]: at most burst + elapsed × requests / period.
                    var count = j - i + 1L;
                    Assert.True((count - burst) * periodMicros <= (granted[j] - granted[i]) * requests,
                        $"{count} grants within {granted[j] - granted[i]} µs at {requests}/{periodMs} ms, burst {burst}");
                }
            }
            // Not vacuous: the first call went at once, and every call was booked, none refused.
            Assert.Contains(bookings, b => b!.Delay == TimeSpan.Zero);
        }, iter: 25, threads: 1);
    }

    [Fact]
    public async Task Concurrent_callers_of_many_accounts_keep_every_account_and_the_app_window_without_deadlocks()
    {
        // Each booking locks its account's row and the app's: taken in one order, so none deadlocks
        // (a deadlock would fail a booking with a 503), and the grants keep both kinds of window.
        RequestRate perAccount = new(4, TimeSpan.FromMilliseconds(400), 2);
        RequestRate perApp = new(10, TimeSpan.FromMilliseconds(500), 3) { Scope = RateLimitScope.App };
        var instances = Enumerable.Range(0, 3).Select(_ => Limiter()).ToList();
        var provider = "app-" + Guid.NewGuid().ToString("N");
        var accounts = Enumerable.Range(0, 4).Select(i => "acc-" + i).ToArray();

        var bookings = await Task.WhenAll(Enumerable.Range(0, 48).Select(i => Task.Run(async () =>
            (Account: accounts[i % accounts.Length],
             Booking: await instances[i % instances.Count].BookAsync(provider, accounts[i % accounts.Length], [perAccount, perApp], NoBound, CancellationToken.None)))));

        AssertWithin(bookings.Select(b => b.Booking), perApp);
        foreach (var account in accounts)
        {
            AssertWithin(bookings.Where(b => b.Account == account).Select(b => b.Booking), perAccount);
        }
    }

    [Fact]
    public async Task A_call_beyond_the_burst_waits_for_its_slot_and_cancelling_ends_the_wait()
    {
        var limiter = Limiter();
        using var cancellation = new CancellationTokenSource();

        await limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None);
        var second = limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, cancellation.Token).AsTask();
        await WaitUntilAsync(async () => await TatAsync("acc-1") is { } tat && tat > DateTimeOffset.UtcNow.AddMinutes(90));

        Assert.False(second.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task Another_instance_sees_the_booking_and_another_account_has_its_own_budget()
    {
        var first = Limiter();
        var second = Limiter();

        var a = await first.BookAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None);
        var b = await second.BookAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None);
        var other = await second.BookAsync("hubspot", "acc-2", Hourly, NoBound, CancellationToken.None);
        var otherProvider = await second.BookAsync("copper", "acc-1", Hourly, NoBound, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, a!.Delay);
        Assert.InRange(b!.Delay, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), b.GrantedAt - a.GrantedAt);
        Assert.Equal(TimeSpan.Zero, other!.Delay);
        Assert.Equal(TimeSpan.Zero, otherProvider!.Delay);
    }

    [Fact]
    public async Task A_call_that_would_be_booked_beyond_the_queue_bound_is_refused_at_once_and_books_nothing()
    {
        // One call may wait, as with the in-process queue of one: it is booked at most one interval ahead.
        var limiter = Limiter(queueLimit: 1);

        await limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None);
        var queued = await limiter.BookAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None);
        var tat = await TatAsync("acc-1");
        var refused = await Assert.ThrowsAsync<RateLimitQueueFullException>(() => limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None).AsTask());

        Assert.NotNull(queued);
        Assert.Equal("hubspot", refused.Provider);
        Assert.Equal(tat, await TatAsync("acc-1"));
    }

    [Fact]
    public async Task A_call_goes_only_when_every_window_allows_it_on_any_instance()
    {
        // 2 a second and 3 a minute, booked alternately on two instances: the database's grants follow
        // both windows (calls 1-2 at once, 3 after 0.5 s, then one per 20 s by the minute window).
        RequestRate[] windows = [new(2, TimeSpan.FromSeconds(1), 2), new(3, TimeSpan.FromMinutes(1), 3)];
        var instances = new[] { Limiter(), Limiter() };

        var bookings = new List<RateLimitBooking>();
        for (var i = 0; i < 5; i++)
        {
            bookings.Add(await instances[i % 2].BookAsync("keap", "acc-1", windows, NoBound, CancellationToken.None));
        }

        var first = bookings[0].GrantedAt;
        var offsets = bookings.Select(b => b.GrantedAt - first).ToArray();
        // Bookings take real time, so each grant is at least its offset; the windows' spacing decides the rest.
        Assert.Equal(TimeSpan.Zero, bookings[0].Delay);
        Assert.True(offsets[1] < TimeSpan.FromSeconds(0.5), $"second call at {offsets[1]}");
        Assert.InRange(offsets[2], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20));
        Assert.InRange(offsets[3], TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));
        Assert.InRange(offsets[4], TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(41));
    }

    [Fact]
    public async Task A_spent_day_quota_is_refused_at_once_with_when_it_frees_a_call_and_books_nothing_in_any_window()
    {
        RequestRate perSecond = new(10, TimeSpan.FromSeconds(1), 10);
        RequestRate perDay = new(1, TimeSpan.FromDays(1), 1);
        var limiter = Limiter();
        await limiter.BookAsync("insightly", "acc-1", [perSecond, perDay], NoBound, CancellationToken.None);
        var before = await TatsAsync("acc-1");

        var refused = await Assert.ThrowsAsync<RateLimitWindowExhaustedException>(
            () => limiter.WaitAsync("insightly", "acc-1", [perSecond, perDay], TimeSpan.FromMinutes(1), CancellationToken.None).AsTask());

        Assert.Equal("insightly", refused.Provider);
        Assert.Equal(perDay, refused.Window);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.Equal(before, await TatsAsync("acc-1"));
    }

    [Fact]
    public async Task An_app_wide_window_is_one_row_shared_by_every_account_and_instance()
    {
        RequestRate perAccount = new(1, TimeSpan.FromSeconds(1), 1);
        RequestRate perApp = new(2, TimeSpan.FromHours(1), 2) { Scope = RateLimitScope.App };
        var first = Limiter();
        var second = Limiter();

        var a = await first.BookAsync("keap", "acc-1", [perAccount, perApp], NoBound, CancellationToken.None);
        var b = await second.BookAsync("keap", "acc-2", [perAccount, perApp], NoBound, CancellationToken.None);
        var c = await second.BookAsync("keap", "acc-3", [perAccount, perApp], NoBound, CancellationToken.None);

        // Each account's own window is fresh; the app's two an hour are spent by acc-1 and acc-2.
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (a.Delay, b.Delay));
        Assert.InRange(c.Delay, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        Assert.NotNull(await TatAsync(""));
    }

    [Fact]
    public async Task A_database_that_does_not_answer_fails_the_booking_within_the_acquire_timeout_instead_of_hanging()
    {
        var limiter = Limiter(acquireTimeout: TimeSpan.FromMilliseconds(300));
        await using var holder = new NpgsqlConnection(server.ConnectionString(_database));
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE provider_rate_limits IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var failure = await Assert.ThrowsAsync<RateLimiterUnavailableException>(
            () => limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("hubspot", failure.Provider);
        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.Contains("could not be checked", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_a_clear_failure_without_the_connection_string()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString(_database)) { Host = "/nonexistent-truto-socket-dir", Password = "pg-s3cr3t" }.ConnectionString;
        await using var limiter = new PostgresRateLimiter(connectionString, TimeProvider.System, NullLogger<PostgresRateLimiter>.Instance);

        var failure = await Assert.ThrowsAsync<RateLimiterUnavailableException>(
            () => limiter.WaitAsync("hubspot", "acc-1", Hourly, NoBound, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.IsAssignableFrom<NpgsqlException>(failure.InnerException);
        Assert.DoesNotContain("pg-s3cr3t", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nonexistent-truto-socket-dir", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_deletes_only_rows_whose_arrival_time_passed_a_while_ago()
    {
        var limiter = Limiter();
        await limiter.BookAsync("hubspot", "busy", Hourly, NoBound, CancellationToken.None);
        await limiter.BookAsync("hubspot", "idle", Hourly, NoBound, CancellationToken.None);
        await ExecuteAsync("UPDATE provider_rate_limits SET tat = clock_timestamp() - interval '2 minutes' WHERE account = 'idle'");

        await limiter.CleanupAsync(CancellationToken.None);

        Assert.NotNull(await TatAsync("busy"));
        Assert.Null(await TatAsync("idle"));
    }

    [Fact]
    public void The_interval_is_the_declared_spacing_rounded_up_to_the_microsecond()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), PostgresRateLimiter.Interval(new RequestRate(10, TimeSpan.FromSeconds(1), 1)));
        Assert.Equal(TimeSpan.FromTicks(3_333_340), PostgresRateLimiter.Interval(new RequestRate(3, TimeSpan.FromSeconds(1), 1)));
        Assert.Equal(TimeSpan.FromMicroseconds(1), PostgresRateLimiter.Interval(new RequestRate(10, TimeSpan.FromTicks(1), 1)));
    }

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        await using var store = new PostgresTrutoStore(server.ConnectionString(_database));
        await store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var limiter in _limiters)
        {
            await limiter.DisposeAsync();
        }
        await server.DropDatabaseAsync(_database);
    }

    private PostgresRateLimiter Limiter(int queueLimit = ProviderRateLimiters.DefaultQueueLimit, TimeSpan? acquireTimeout = null)
    {
        var limiter = new PostgresRateLimiter(server.ConnectionString(_database), TimeProvider.System, NullLogger<PostgresRateLimiter>.Instance, queueLimit, acquireTimeout);
        _limiters.Add(limiter);
        return limiter;
    }

    private async Task<DateTimeOffset?> TatAsync(string account)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tat FROM provider_rate_limits WHERE account = @account", connection);
        command.Parameters.AddWithValue("account", account);
        return await command.ExecuteScalarAsync() is DateTime tat ? new DateTimeOffset(tat, TimeSpan.Zero) : null;
    }

    /// <summary>In every span between two grants, at most burst + span × rate of them (the GCRA's bound).</summary>
    private static void AssertWithin(IEnumerable<RateLimitBooking> bookings, RequestRate rate)
    {
        var granted = bookings.Select(b => b.GrantedAt.UtcTicks / TimeSpan.TicksPerMicrosecond).Order().ToArray();
        var periodMicros = rate.Period.Ticks / TimeSpan.TicksPerMicrosecond;
        for (var i = 0; i < granted.Length; i++)
        {
            for (var j = i; j < granted.Length; j++)
            {
                var count = j - i + 1L;
                Assert.True((count - rate.Burst) * periodMicros <= (granted[j] - granted[i]) * rate.Requests,
                    $"{count} grants within {granted[j] - granted[i]} µs at {rate}, burst {rate.Burst}");
            }
        }
    }

    private async Task<List<(string Window, DateTime Tat)>> TatsAsync(string account)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rate_window, tat FROM provider_rate_limits WHERE account = @account ORDER BY rate_window", connection);
        command.Parameters.AddWithValue("account", account);
        var tats = new List<(string, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tats.Add((reader.GetString(0), reader.GetDateTime(1)));
        }
        return tats;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
