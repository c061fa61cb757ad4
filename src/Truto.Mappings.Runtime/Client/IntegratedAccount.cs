using Truto.Mappings.Accounts;

namespace Truto.Mappings.Client;

/// <summary>A connected account: which provider it is and the context its requests need.</summary>
/// <param name="Id">The account's id (a uuid in the HTTP API).</param>
/// <param name="Integration">The provider's integration name (<c>hubspot</c>).</param>
/// <param name="Context">Credentials and per-account settings.</param>
public sealed record IntegratedAccount(string Id, string Integration, AccountContext Context);
