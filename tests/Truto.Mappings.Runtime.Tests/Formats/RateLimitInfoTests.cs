using System.Text.RegularExpressions;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Runtime.Tests.Formats;

/// <summary>A provider's rate-limit headers normalised to ratelimit-limit/remaining/reset (seconds).</summary>
public sealed class RateLimitInfoTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static readonly Regex LimitRemainingReset = new(
        @"^(?<limit>\d+);(?<remaining>\d+);(?<reset>[\d.]+)$", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static readonly Regex UsedOfLimit = new(
        @"^(?<used>-?\d+)/(?<limit>\d+)$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public void None_is_empty()
    {
        Assert.True(RateLimitInfo.None.IsEmpty);
        Assert.Equal(new RateLimitInfo(null, null, null), RateLimitInfo.None);
    }

    [Theory]
    [InlineData(1L, null, null)]
    [InlineData(null, 0L, null)]
    [InlineData(null, null, 0L)]
    public void Any_known_part_makes_it_not_empty(long? limit, long? remaining, long? reset)
        => Assert.False(new RateLimitInfo(limit, remaining, reset).IsEmpty);

    [Theory]
    [InlineData("2023-11-14T22:13:50+00:00", 30L)]
    [InlineData("2023-11-14T22:13:50Z", 30L)]
    [InlineData("2023-11-14T23:13:50.035+0100", 31L)]
    [InlineData("2023-11-14T23:13:50+01:00", 30L)]
    [InlineData("2023-11-15T03:43:50+0530", 30L)]
    [InlineData("2023-11-14T18:13:50-0400", 30L)]
    [InlineData(" 2023-11-14T22:13:50.5Z ", 31L)]
    [InlineData("2023-11-14T22:13:00Z", 0L)]
    public void An_iso8601_reset_is_the_seconds_until_that_instant(string text, long seconds)
        => Assert.Equal(seconds, RateLimitInfo.FromHeaders(null, null, text, ResetFormat.Iso8601, Now).ResetSeconds);

    [Theory]
    [InlineData("2023-11-14T22:13:50")]
    [InlineData("1700000030")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public void An_iso8601_reset_without_an_offset_or_not_a_time_stays_unknown(string text)
        => Assert.Null(RateLimitInfo.FromHeaders(null, null, text, ResetFormat.Iso8601, Now).ResetSeconds);

    [Fact]
    public void Separate_headers_are_read_as_numbers()
        => Assert.Equal(new RateLimitInfo(100, 99, 30), RateLimitInfo.FromHeaders("100", "99", "30", ResetFormat.Seconds, Now));

    [Theory]
    [InlineData("-1")]
    [InlineData("-1e25")]
    public void Negative_counts_stay_unknown(string text)
        => Assert.Equal(RateLimitInfo.None, RateLimitInfo.FromHeaders(text, text, null, ResetFormat.Seconds, Now));

    [Fact]
    public void Missing_headers_stay_unknown()
        => Assert.True(RateLimitInfo.FromHeaders(null, null, null, ResetFormat.Seconds, Now).IsEmpty);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("many")]
    [InlineData("0x10")]
    [InlineData("1,000")]
    [InlineData("NaN")]
    public void Headers_that_are_not_numbers_stay_unknown(string text)
        => Assert.True(RateLimitInfo.FromHeaders(text, text, text, ResetFormat.Seconds, Now).IsEmpty);

    [Theory]
    [InlineData(" 100 ", 100L)]
    [InlineData("100.9", 100L)]
    [InlineData("1e2", 100L)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Limits_allow_white_space_fractions_and_exponents(string text, long limit)
        => Assert.Equal(limit, RateLimitInfo.FromHeaders(text, null, null, ResetFormat.Seconds, Now).Limit);

    [Theory]
    [InlineData("1e25")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("79228162514264337593543950335")]
    public void Counts_beyond_a_long_stay_unknown_rather_than_throwing(string text)
    {
        var info = RateLimitInfo.FromHeaders(text, text, null, ResetFormat.Seconds, Now);

        Assert.Null(info.Limit);
        Assert.Null(info.Remaining);
    }

    [Theory]
    [InlineData("30", 30L)]
    [InlineData("0.2", 1L)]
    [InlineData("0", 0L)]
    public void Reset_in_seconds_rounds_up(string text, long seconds)
        => Assert.Equal(seconds, RateLimitInfo.FromHeaders(null, null, text, ResetFormat.Seconds, Now).ResetSeconds);

    [Theory]
    [InlineData("1500", 2L)]
    [InlineData("1000", 1L)]
    [InlineData("1", 1L)]
    [InlineData("0", 0L)]
    public void Reset_in_milliseconds_becomes_whole_seconds_rounded_up(string text, long seconds)
        => Assert.Equal(seconds, RateLimitInfo.FromHeaders(null, null, text, ResetFormat.Milliseconds, Now).ResetSeconds);

    [Theory]
    [InlineData("1700000060", 60L)]
    [InlineData("1700000000.5", 1L)]
    [InlineData("1700000000", 0L)]
    [InlineData("1699999000", 0L)]
    [InlineData("0", 0L)]
    public void Reset_as_a_unix_time_becomes_seconds_from_now_never_negative(string text, long seconds)
        => Assert.Equal(seconds, RateLimitInfo.FromHeaders(null, null, text, ResetFormat.EpochSeconds, Now).ResetSeconds);

    [Theory]
    [InlineData("1e25", ResetFormat.Seconds)]
    [InlineData("1e25", ResetFormat.EpochSeconds)]
    [InlineData("1e30", ResetFormat.Milliseconds)]
    [InlineData("79228162514264337593543950335", ResetFormat.Seconds)]
    [InlineData("79228162514264337593543950335", ResetFormat.EpochSeconds)]
    public void Resets_beyond_a_long_stay_unknown_rather_than_throwing(string text, ResetFormat format)
        => Assert.Null(RateLimitInfo.FromHeaders(null, null, text, format, Now).ResetSeconds);

    [Theory]
    [InlineData("-5", ResetFormat.Seconds)]
    [InlineData("-1e25", ResetFormat.Seconds)]
    [InlineData("-1500", ResetFormat.Milliseconds)]
    [InlineData("-79228162514264337593543950335", ResetFormat.EpochSeconds)]
    public void A_reset_in_the_past_is_now(string text, ResetFormat format)
        => Assert.Equal(0, RateLimitInfo.FromHeaders(null, null, text, format, Now).ResetSeconds);

    [Fact]
    public void A_pattern_reads_limit_remaining_and_reset_from_one_header()
        => Assert.Equal(new RateLimitInfo(100, 40, 3), RateLimitInfo.FromPattern("100;40;2.5", LimitRemainingReset, ResetFormat.Seconds, Now));

    [Fact]
    public void A_pattern_with_used_gives_what_remains()
        => Assert.Equal(new RateLimitInfo(100, 75, null), RateLimitInfo.FromPattern("25/100", UsedOfLimit, ResetFormat.Seconds, Now));

    [Fact]
    public void Remaining_from_used_is_never_negative()
        => Assert.Equal(0, RateLimitInfo.FromPattern("150/100", UsedOfLimit, ResetFormat.Seconds, Now).Remaining);

    [Theory]
    [InlineData("-5/100", 100L)]
    [InlineData("-1/9223372036854775807", long.MaxValue)]
    public void Remaining_from_used_is_never_more_than_the_limit_and_does_not_overflow(string header, long remaining)
        => Assert.Equal(remaining, RateLimitInfo.FromPattern(header, UsedOfLimit, ResetFormat.Seconds, Now).Remaining);

    [Fact]
    public void A_pattern_that_does_not_match_knows_nothing()
        => Assert.Same(RateLimitInfo.None, RateLimitInfo.FromPattern("unlimited", LimitRemainingReset, ResetFormat.Seconds, Now));

    [Fact]
    public void A_missing_header_knows_nothing()
        => Assert.Same(RateLimitInfo.None, RateLimitInfo.FromPattern(null, LimitRemainingReset, ResetFormat.Seconds, Now));

    [Fact]
    public void A_pattern_without_some_groups_leaves_them_unknown()
    {
        var limitOnly = new Regex(@"limit=(?<limit>\d+)", RegexOptions.None, TimeSpan.FromSeconds(1));

        Assert.Equal(new RateLimitInfo(10, null, null), RateLimitInfo.FromPattern("limit=10", limitOnly, ResetFormat.Seconds, Now));
    }

    [Fact]
    public void A_pattern_with_an_optional_group_that_did_not_match_leaves_it_unknown()
    {
        var optionalReset = new Regex(@"^(?<limit>\d+)(;(?<reset>\d+))?$", RegexOptions.None, TimeSpan.FromSeconds(1));

        Assert.Equal(new RateLimitInfo(10, null, null), RateLimitInfo.FromPattern("10", optionalReset, ResetFormat.Seconds, Now));
    }

    [Fact]
    public void A_pattern_is_required()
        => Assert.Throws<ArgumentNullException>(() => RateLimitInfo.FromPattern("1", null!, ResetFormat.Seconds, Now));

    [Fact]
    public void Or_fills_only_what_is_unknown()
        => Assert.Equal(new RateLimitInfo(100, 5, 60), new RateLimitInfo(100, null, 60).Or(new RateLimitInfo(200, 5, 30)));

    [Fact]
    public void Or_with_nothing_known_changes_nothing()
        => Assert.Equal(new RateLimitInfo(1, 2, 3), new RateLimitInfo(1, 2, 3).Or(RateLimitInfo.None));
}
