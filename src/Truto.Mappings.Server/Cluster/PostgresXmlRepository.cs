using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Truto.Mappings.Server.Cluster;

/// <summary>
/// The Data Protection key ring in the shared database (<c>Store:Provider=postgresql</c>), table
/// <c>data_protection_keys</c>: one row per key ring element (a key, a revocation) by its friendly
/// name, so every instance decrypts what any instance encrypted. With
/// <c>DataProtection:Certificate:Path</c> set, the elements arrive here already encrypted with the
/// certificate (no plaintext <c>&lt;masterKey&gt;</c> in the table); without it they are stored as
/// they are, and the server says so loudly at start (<see cref="Storage.KeyRing.CheckAsync"/>).
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous: the key manager reads the ring at start, when a key
/// is created, and every 24 hours, never on a request's path, so blocking calls cost nothing here.
/// </remarks>
public sealed class PostgresXmlRepository : IXmlRepository, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The advisory lock key held while an instance creates the first key ("truto" + "key" in ASCII),
    /// so instances that start at once on an empty ring agree on one key instead of each making its own.
    /// </summary>
    public const long FirstKeyLockKey = 0x747275746F_6B6579;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>A key ring in the database <paramref name="connectionString"/> names, with a pool of its own (tools, tests).</summary>
    public PostgresXmlRepository(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _ownsDataSource = true;
    }

    /// <summary>A key ring on the server's one pool (<paramref name="dataSource"/>, shared and disposed by its owner).</summary>
    public PostgresXmlRepository(NpgsqlDataSource dataSource) => _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = _dataSource.OpenConnection();
        // Friendly names are unique (key-{id}, revocation-{time}): storing one again replaces it.
        using var command = new NpgsqlCommand(
            "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO UPDATE SET xml = excluded.xml", connection);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="action"/> while holding <see cref="FirstKeyLockKey"/> (a session lock on
    /// one connection, given back after), so of instances starting at once one creates the first key
    /// and the others find it.
    /// </summary>
    public async Task UnderFirstKeyLockAsync(Action action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({FirstKeyLockKey})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            action();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({FirstKeyLockKey})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }
}
