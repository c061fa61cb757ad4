namespace Truto.Mappings.Server.Security;

/// <summary>The one spelling of each scope, as tokens are created with it, stored and shown.</summary>
public static class ApiScopeNames
{
    private static readonly (ApiScopes Scope, string Name)[] Names =
    [
        (ApiScopes.AccountsRead, "accounts:read"),
        (ApiScopes.AccountsWrite, "accounts:write"),
        (ApiScopes.Unified, "unified"),
    ];

    /// <summary>Every scope name, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>The name of one scope (<c>accounts:write</c>).</summary>
    public static string Name(ApiScopes scope) => Names.Single(n => n.Scope == scope).Name;

    /// <summary>The scopes as a space-separated list of names (<c>accounts:read unified</c>), the form they are stored in.</summary>
    public static string Format(ApiScopes scopes) => string.Join(' ', Names.Where(n => scopes.HasFlag(n.Scope)).Select(n => n.Name));

    /// <summary>
    /// Scopes from names, each value possibly a comma- or space-separated list
    /// (<c>--scope unified --scope accounts:read</c>, <c>--scope unified,accounts:read</c>);
    /// the first unknown name is returned instead.
    /// </summary>
    public static (ApiScopes Scopes, string? Unknown) Parse(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var scopes = ApiScopes.None;
        foreach (var name in values.SelectMany(v => v.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var known = Array.FindIndex(Names, n => n.Name == name);
            if (known < 0)
            {
                return (ApiScopes.None, name);
            }
            scopes |= Names[known].Scope;
        }
        return (scopes, null);
    }
}
