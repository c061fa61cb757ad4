using Microsoft.AspNetCore.DataProtection;

namespace Truto.Mappings.Server.Storage;

/// <summary>Encrypts account contexts (credentials) before they reach the store, with ASP.NET Core Data Protection.</summary>
public sealed class ContextProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Truto.Mappings.IntegratedAccount.Context.v1");

    public string Protect(string contextJson) => _protector.Protect(contextJson);

    public string Unprotect(string protectedContext) => _protector.Unprotect(protectedContext);
}
