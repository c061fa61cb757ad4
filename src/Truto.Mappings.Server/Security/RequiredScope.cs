namespace Truto.Mappings.Server.Security;

/// <summary>
/// Endpoint metadata: the scope a token needs for the endpoint. <see cref="ApiTokenFilter"/>
/// answers 403 naming it when the token lacks it; the OpenAPI description lists it.
/// Endpoints without it need a valid token only.
/// </summary>
public sealed record RequiredScope(ApiScopes Scope)
{
    /// <summary>The scope's name (<c>accounts:write</c>).</summary>
    public string Name => ApiScopeNames.Name(Scope);
}
