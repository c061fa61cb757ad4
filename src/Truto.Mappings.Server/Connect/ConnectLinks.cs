using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Truto.Mappings.Server.Connect;

/// <summary>
/// Signs and reads connect link tokens with Data Protection's time-limited protector (so a link is
/// tamper-proof and encrypted with the server's key ring). The expiry is also inside the payload and
/// checked against the server's clock, which tests can move.
/// </summary>
public sealed class ConnectLinks(IDataProtectionProvider provider, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("Truto.Mappings.ConnectLink.v1").ToTimeLimitedDataProtector();

    /// <summary>The token for <paramref name="link"/>.</summary>
    public string Create(ConnectLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _protector.Protect(JsonSerializer.Serialize(link), link.ExpiresAt);
    }

    /// <summary>The link a token stands for, or null when it is not one of ours, was altered, or has expired.</summary>
    public ConnectLink? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var link = JsonSerializer.Deserialize<ConnectLink>(_protector.Unprotect(token));
            return link is not null && link.ExpiresAt > time.GetUtcNow() ? link : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
