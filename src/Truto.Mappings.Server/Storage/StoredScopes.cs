using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Storage;

/// <summary>How both stores read a token's stored scope names.</summary>
internal static class StoredScopes
{
    /// <summary>Stored scope names; a name this version does not know (written by a newer one) grants nothing here.</summary>
    public static ApiScopes Parse(string names)
        => names.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => ApiScopeNames.Parse([name]))
            .Aggregate(ApiScopes.None, (all, parsed) => all | parsed.Scopes);
}
