namespace Truto.Mappings.Formats;

// Shared source: the generator compiles this file too (rate_limit.reset_format), so the member it
// emits is the one it parsed, not a name that happens to match.

/// <summary>How a provider states when its rate-limit window resets.</summary>
public enum ResetFormat
{
    /// <summary>Seconds from now.</summary>
    Seconds,

    /// <summary>A Unix time in seconds.</summary>
    EpochSeconds,

    /// <summary>Milliseconds from now.</summary>
    Milliseconds,

    /// <summary>An ISO 8601 date and time with its UTC offset (<c>2021-06-15T10:51:23.035+0100</c>).</summary>
    Iso8601,
}
