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
    public static ITrutoStore Create(IConfiguration configuration) => Create(configuration, null);

    /// <summary>
    /// The store configuration names; with PostgreSQL on <paramref name="dataSource"/> (the
    /// process's one pool) when given, else on a pool of its own.
    /// </summary>
    public static ITrutoStore Create(IConfiguration configuration, Func<Npgsql.NpgsqlDataSource>? dataSource)
        => IsPostgreSql(configuration)
            ? dataSource is null ? new PostgresTrutoStore(PostgreSqlConnectionString(configuration)) : new PostgresTrutoStore(dataSource())
            : new SqliteTrutoStore(configuration.GetConnectionString("Truto") ?? "Data Source=truto.db");

    /// <summary>
    /// True when <c>Store:Provider</c> is <c>postgresql</c>: instances share the database, and with it
    /// the rate limits, the Data Protection key ring and the OAuth refresh lock.
    /// </summary>
    public static bool IsPostgreSql(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration["Store:Provider"] is { Length: > 0 } name ? name.Trim().ToLowerInvariant() : Sqlite;
        return provider switch
        {
            Sqlite => false,
            PostgreSql => true,
            // The value is a provider name, never a secret: safe to repeat.
            _ => throw new StartupException($"Store:Provider must be sqlite or postgresql (it is '{configuration["Store:Provider"]}')."),
        };
    }

    /// <summary>The PostgreSQL connection string (<c>ConnectionStrings:Truto</c>), required with <c>Store:Provider=postgresql</c>.</summary>
    public static string PostgreSqlConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetConnectionString("Truto") is { Length: > 0 } connectionString
            ? connectionString
            : throw new StartupException("Store:Provider is postgresql but ConnectionStrings:Truto is not set (e.g. Host=127.0.0.1;Database=truto;Username=truto;Password=…).");
    }
}
