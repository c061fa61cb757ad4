namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>What a simulated authorization server knows of an access token.</summary>
public enum AccessTokenStatus
{
    /// <summary>Never issued.</summary>
    Unknown,

    /// <summary>Issued and not yet expired.</summary>
    Valid,

    /// <summary>Issued and expired: the provider answers its "token expired" 401.</summary>
    Expired,
}
