using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Cluster;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The Data Protection key ring that encrypts account contexts: where it lives
/// (<c>DataProtection:KeysFolder</c>; with <c>Store:Provider=postgresql</c> the shared database, so
/// every instance reads what any instance wrote), how it is protected at rest (a certificate from
/// <c>DataProtection:Certificate:Path</c> + <c>:Password</c>, else file permissions or the database's
/// access control only, loudly), and the start-up check that it can read what the store holds.
/// </summary>
public sealed partial class KeyRing(KeyRingSettings settings, EncryptingStore store, IKeyManager keys, ILogger<KeyRing> logger, TimeProvider time, PostgresXmlRepository? database = null)
{
    /// <summary>The lifetime of the first key an instance creates in the database (Data Protection's default).</summary>
    private static readonly TimeSpan FirstKeyLifetime = TimeSpan.FromDays(90);

    /// <summary>Registers Data Protection with the key ring as configured.</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new KeyRingSettings(
            Path.GetFullPath(configuration["DataProtection:KeysFolder"] ?? "truto-keys"),
            configuration["DataProtection:Certificate:Path"] is { Length: > 0 } path ? Path.GetFullPath(path) : null)
        {
            InDatabase = StoreProvider.IsPostgreSql(configuration),
        };
        services.AddSingleton(settings);
        var builder = services.AddDataProtection().SetApplicationName("Truto.Mappings");
        if (settings.InDatabase)
        {
            // On the process's one pool (ServerApp registers it), created when first used as the store's is.
            services.AddSingleton(sp => new PostgresXmlRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>()));
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlRepository = sp.GetRequiredService<PostgresXmlRepository>()));
        }
        else
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlRepository = new OwnerOnlyXmlRepository(new DirectoryInfo(settings.KeysFolder), sp.GetRequiredService<ILoggerFactory>())));
        }
        if (settings.CertificatePath is { } certificatePath)
        {
            builder.ProtectKeysWithCertificate(LoadCertificate(certificatePath, configuration["DataProtection:Certificate:Password"]));
        }
    }

    /// <summary>
    /// Run before the server takes requests: warns when the keys are protected by file permissions
    /// (or the database's access control) only, and fails when accounts exist but the key ring is
    /// missing or cannot decrypt them (wrong folder or database, wrong certificate) — a clear message
    /// now instead of a 500 on every account later. In the database an empty ring gets its first key
    /// here, under an advisory lock, so instances starting at once share one key.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (settings.CertificatePath is null)
        {
            if (settings.InDatabase)
            {
                LogUnprotectedInDatabase(logger);
            }
            else
            {
                LogUnprotected(logger, settings.KeysFolder);
            }
        }
        var accounts = await store.CountStoredContextsAsync(cancellationToken);
        if (accounts == 0)
        {
            if (database is not null)
            {
                await database.UnderFirstKeyLockAsync(() =>
                {
                    if (keys.GetAllKeys().Count == 0)
                    {
                        var now = time.GetUtcNow();
                        keys.CreateNewKey(now, now + FirstKeyLifetime);
                    }
                }, cancellationToken);
            }
            return;
        }
        if (keys.GetAllKeys().Count == 0)
        {
            throw new StartupException(settings.InDatabase
                ? $"{accounts} integrated account(s) are stored but the Data Protection key ring in the database (table data_protection_keys, Store:Provider=postgresql) has no keys, "
                    + "so their credentials cannot be decrypted. Restore the table's rows from the backup the accounts were created with."
                : $"{accounts} integrated account(s) are stored but the Data Protection key ring in DataProtection:KeysFolder ('{settings.KeysFolder}') has no keys, "
                    + "so their credentials cannot be decrypted. Point DataProtection:KeysFolder at the folder the accounts were created with (restore it from backup).");
        }
        try
        {
            await store.DecryptAllContextsAsync(cancellationToken);
        }
        catch (CryptographicException e)
        {
            var certificate = settings.CertificatePath is { } path ? $" with the certificate in DataProtection:Certificate:Path ('{path}')" : "";
            throw new StartupException(settings.InDatabase
                ? $"The stored integrated accounts cannot be decrypted with the Data Protection key ring in the database (table data_protection_keys){certificate}: "
                    + "the key ring or the certificate is not the one the accounts were created with."
                : $"The stored integrated accounts cannot be decrypted with the Data Protection key ring in DataProtection:KeysFolder ('{settings.KeysFolder}'){certificate}: "
                    + "the folder or the certificate is not the one the accounts were created with.", e);
        }
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            if (!certificate.HasPrivateKey)
            {
                throw new StartupException($"The certificate in DataProtection:Certificate:Path ('{path}') has no private key; the key ring cannot be decrypted with it.");
            }
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The certificate in DataProtection:Certificate:Path ('{path}') cannot be loaded ({e.GetType().Name}): check the file and DataProtection:Certificate:Password.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SECURITY: the Data Protection keys in DataProtection:KeysFolder ('{Folder}') are NOT encrypted at rest; they decrypt every stored credential and are protected only by file permissions (folder 0700, files 0600). Set DataProtection:Certificate:Path and DataProtection:Certificate:Password to encrypt them with a certificate.")]
    private static partial void LogUnprotected(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SECURITY: the Data Protection keys in the database (table data_protection_keys, Store:Provider=postgresql) are NOT encrypted at rest; they decrypt every stored credential and are protected only by the database's access control: whoever can read the database (a backup, a replica, another application's role) can decrypt every account. Set DataProtection:Certificate:Path and DataProtection:Certificate:Password on every instance to encrypt them with a certificate.")]
    private static partial void LogUnprotectedInDatabase(ILogger logger);
}

/// <summary>Where the key ring is and whether a certificate protects it (full paths).</summary>
/// <param name="KeysFolder">The keys folder (<c>DataProtection:KeysFolder</c>), used when the ring is not in the database.</param>
/// <param name="CertificatePath">The certificate protecting the keys, when set.</param>
public sealed record KeyRingSettings(string KeysFolder, string? CertificatePath)
{
    /// <summary>True with <c>Store:Provider=postgresql</c>: the ring is in the shared database, not the folder.</summary>
    public bool InDatabase { get; init; }
}
