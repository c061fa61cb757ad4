using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The Data Protection key ring that encrypts account contexts: where it lives
/// (<c>DataProtection:KeysFolder</c>), how it is protected at rest (a certificate from
/// <c>DataProtection:Certificate:Path</c> + <c>:Password</c>, else file permissions only, loudly),
/// and the start-up check that it can read what the store holds.
/// </summary>
public sealed partial class KeyRing(KeyRingSettings settings, EncryptingStore store, IKeyManager keys, ILogger<KeyRing> logger)
{
    /// <summary>Registers Data Protection with the key ring as configured.</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new KeyRingSettings(
            Path.GetFullPath(configuration["DataProtection:KeysFolder"] ?? "truto-keys"),
            configuration["DataProtection:Certificate:Path"] is { Length: > 0 } path ? Path.GetFullPath(path) : null);
        services.AddSingleton(settings);
        var builder = services.AddDataProtection().SetApplicationName("Truto.Mappings");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new OwnerOnlyXmlRepository(new DirectoryInfo(settings.KeysFolder), sp.GetRequiredService<ILoggerFactory>())));
        if (settings.CertificatePath is { } certificatePath)
        {
            builder.ProtectKeysWithCertificate(LoadCertificate(certificatePath, configuration["DataProtection:Certificate:Password"]));
        }
    }

    /// <summary>
    /// Run before the server takes requests: warns when the keys are protected by file permissions
    /// only, and fails when accounts exist but the key ring is missing or cannot decrypt them (wrong
    /// folder, wrong certificate) — a clear message now instead of a 500 on every account later.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (settings.CertificatePath is null)
        {
            LogUnprotected(logger, settings.KeysFolder);
        }
        var accounts = await store.CountStoredContextsAsync(cancellationToken);
        if (accounts == 0)
        {
            return;
        }
        if (keys.GetAllKeys().Count == 0)
        {
            throw new StartupException(
                $"{accounts} integrated account(s) are stored but the Data Protection key ring in DataProtection:KeysFolder ('{settings.KeysFolder}') has no keys, "
                + "so their credentials cannot be decrypted. Point DataProtection:KeysFolder at the folder the accounts were created with (restore it from backup).");
        }
        try
        {
            await store.DecryptAllContextsAsync(cancellationToken);
        }
        catch (CryptographicException e)
        {
            var certificate = settings.CertificatePath is { } path ? $" with the certificate in DataProtection:Certificate:Path ('{path}')" : "";
            throw new StartupException(
                $"The stored integrated accounts cannot be decrypted with the Data Protection key ring in DataProtection:KeysFolder ('{settings.KeysFolder}'){certificate}: "
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
}

/// <summary>Where the key ring is and whether a certificate protects it (full paths).</summary>
public sealed record KeyRingSettings(string KeysFolder, string? CertificatePath);
