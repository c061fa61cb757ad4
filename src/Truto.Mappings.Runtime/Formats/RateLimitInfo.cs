using System.Globalization;
using System.Text.RegularExpressions;

namespace Truto.Mappings.Formats;

/// <summary>
/// A provider's rate-limit state, normalised to the <c>ratelimit-limit</c>,
/// <c>ratelimit-remaining</c> and <c>ratelimit-reset</c> (seconds) response headers.
/// </summary>
public sealed record RateLimitInfo(long? Limit, long? Remaining, long? ResetSeconds)
{
    /// <summary>Nothing known.</summary>
    public static RateLimitInfo None { get; } = new(null, null, null);

    /// <summary>True when nothing is known.</summary>
    public bool IsEmpty => Limit is null && Remaining is null && ResetSeconds is null;

    /// <summary>From separate headers (any may be missing).</summary>
    public static RateLimitInfo FromHeaders(string? limit, string? remaining, string? reset, ResetFormat format, DateTimeOffset now)
        => new(Count(limit), Count(remaining), ResetIn(reset, format, now));

    /// <summary>From one header matched by a pattern with named groups limit, remaining, used, reset.</summary>
    public static RateLimitInfo FromPattern(string? header, Regex pattern, ResetFormat format, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var match = header is null ? Match.Empty : pattern.Match(header);
        if (!match.Success)
        {
            return None;
        }
        string? Group(string name) => match.Groups[name] is { Success: true } g ? g.Value : null;
        var limit = Count(Group("limit"));
        var remaining = Count(Group("remaining"));
        if (remaining is null && limit is not null && ParseLong(Group("used")) is { } used)
        {
            // In decimal, so a nonsense "used" cannot overflow; what remains lies between 0 and the limit.
            remaining = (long)Math.Clamp((decimal)limit.Value - used, 0, Math.Max(0, limit.Value));
        }
        return new RateLimitInfo(limit, remaining, ResetIn(Group("reset"), format, now));
    }

    /// <summary>Fills what this one lacks from <paramref name="other"/>.</summary>
    public RateLimitInfo Or(RateLimitInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Limit ?? other.Limit, Remaining ?? other.Remaining, ResetSeconds ?? other.ResetSeconds);
    }

    private static long? ResetIn(string? text, ResetFormat format, DateTimeOffset now)
        => format == ResetFormat.Iso8601 ? FromTimestamp(text, now) : ToSeconds(ParseDecimal(text), format, now);

    // ISO 8601 as providers write it: an offset with or without its colon ("+0100", "+01:00", "Z").
    // A time without an offset names no instant, so it is unknown rather than guessed as UTC.
    private static long? FromTimestamp(string? text, DateTimeOffset now)
    {
        var trimmed = text?.Trim();
        if (trimmed is { Length: > 5 } && trimmed[^5] is '+' or '-' && trimmed[^4..].All(char.IsAsciiDigit))
        {
            trimmed = trimmed[..^2] + ":" + trimmed[^2..];
        }
        var hasOffset = trimmed is not null && (trimmed.EndsWith('Z') || (trimmed.Length > 6 && trimmed[^6] is '+' or '-' && trimmed[^3] == ':'));
        if (!hasOffset
            || !DateTimeOffset.TryParseExact(trimmed, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var reset))
        {
            return null;
        }
        return reset <= now ? 0 : (long)Math.Ceiling((reset - now).TotalSeconds);
    }

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    // A reset in the past is now; anything beyond a long (a header like "1e25") is unknown, not an overflow.
    private static long? ToSeconds(decimal? value, ResetFormat format, DateTimeOffset now) => value switch
    {
        null => null,
        { } v when format == ResetFormat.EpochSeconds => v <= now.ToUnixTimeSeconds() ? 0 : ToLong(Math.Ceiling(v - now.ToUnixTimeSeconds())),
        { } v when v <= 0 => 0,
        { } v when format == ResetFormat.Milliseconds => ToLong(Math.Ceiling(v / 1000m)),
        { } v => ToLong(Math.Ceiling(v)),
    };

    private static long? ParseLong(string? text) => ParseDecimal(text) is { } d ? ToLong(decimal.Truncate(d)) : null;

    // A limit or a remaining count below zero ("-1") means nothing: unknown, not a negative header.
    private static long? Count(string? text) => ParseLong(text) is >= 0 and var count ? count : null;

    private static long? ToLong(decimal value) => value >= long.MinValue && value <= long.MaxValue ? (long)value : null;

    private static decimal? ParseDecimal(string? text)
        => decimal.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
