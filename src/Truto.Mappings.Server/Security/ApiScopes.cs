namespace Truto.Mappings.Server.Security;

/// <summary>
/// What an API token may do. <see cref="AccountsWrite"/> implies <see cref="AccountsRead"/>: every
/// write answers with the account it wrote, so a token that may write already reads.
/// </summary>
[Flags]
public enum ApiScopes
{
    /// <summary>Nothing: only endpoints that need no scope (meta).</summary>
    None = 0,

    /// <summary><c>accounts:read</c>: read and list integrated accounts.</summary>
    AccountsRead = 1,

    /// <summary><c>accounts:write</c>: create, update and delete integrated accounts (and read them).</summary>
    AccountsWrite = 2,

    /// <summary><c>unified</c>: call the unified endpoints.</summary>
    Unified = 4,

    /// <summary>Every scope: <c>TRUTO_API_TOKEN</c>, tokens created without <c>--scope</c>, tokens from before scopes existed.</summary>
    All = AccountsRead | AccountsWrite | Unified,
}
