namespace Truto.Mappings.Formats;

/// <summary>How a provider states when its rate-limit window resets.</summary>
public enum ResetFormat
{
    /// <summary>Seconds from now.</summary>
    Seconds,

    /// <summary>A Unix time in seconds.</summary>
    EpochSeconds,

    /// <summary>Milliseconds from now.</summary>
    Milliseconds,
}
