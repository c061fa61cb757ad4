namespace Truto.Mappings.Server.Storage;

/// <summary>
/// Picks the store from <c>Store:Provider</c>: <c>sqlite</c> (default: one embedded file, zero
/// set-up) or <c>postgresql</c> (one database shared by several instances). Either reads its
/// connection string from <c>ConnectionStrings:Truto</c>.
/// </summary>
public static class StoreProvider
{
    public const string Sqlite = "sqlite";

    public const string PostgreSql = "postgresql";

    /// <summary>The store configuration names; a <see cref="StartupException"/> for a provider this version does not have.</summary>
    public static ITrutoStore Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration["Store:Provider"] is { Length: > 0 } name ? name.Trim().ToLowerInvariant() : Sqlite;
        var connectionString = configuration.GetConnectionString("Truto");
        return provider switch
        {
            Sqlite => new SqliteTrutoStore(connectionString ?? "Data Source=truto.db"),
            PostgreSql => new PostgresTrutoStore(connectionString is { Length: > 0 }
                ? connectionString
                : throw new StartupException("Store:Provider is postgresql but ConnectionStrings:Truto is not set (e.g. Host=127.0.0.1;Database=truto;Username=truto;Password=…).")),
            // The value is a provider name, never a secret: safe to repeat.
            _ => throw new StartupException($"Store:Provider must be sqlite or postgresql (it is '{configuration["Store:Provider"]}')."),
        };
    }
}
