using System.Runtime.CompilerServices;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The runtime's account for a stored one. The store's cache (<see cref="StoreCache"/>) hands out the
/// same immutable <see cref="StoredAccount"/> until it changes, so its context is parsed once and
/// the parse is forgotten with it (a weak table: nothing here keeps an account alive).
/// </summary>
public static class ParsedAccounts
{
    private static readonly ConditionalWeakTable<StoredAccount, IntegratedAccount> Accounts = new();

    private static readonly ConditionalWeakTable<StoredAccount, IntegratedAccount>.CreateValueCallback Parse
        = stored => new IntegratedAccount(stored.Id, stored.Integration, AccountContext.Parse(stored.Context));

    /// <summary>The parsed account of <paramref name="stored"/>.</summary>
    public static IntegratedAccount Of(StoredAccount stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Accounts.GetValue(stored, Parse);
    }
}
