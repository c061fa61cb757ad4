using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>Adds the server's filters to endpoints (with the metadata that tells OpenAPI about them).</summary>
public static class FilterConventions
{
    /// <summary><c>Authorization: Bearer &lt;api token&gt;</c> required (<see cref="ApiTokenFilter"/>).</summary>
    public static TBuilder RequireApiToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.With<TBuilder, ApiTokenFilter>();

    /// <summary>
    /// The token must carry <paramref name="scope"/> (a 403 naming it otherwise). Checked by
    /// <see cref="ApiTokenFilter"/>, which the endpoint's group must run; the OpenAPI description lists it.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScopes scope) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequiredScope(scope));

    /// <summary>The Truto query and its integrated account resolved before the handler (<see cref="AccountFilter"/>).</summary>
    public static TBuilder RequireIntegratedAccount<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.With<TBuilder, AccountFilter>();

    /// <summary>Answers replayed for a repeated <c>Idempotency-Key</c> (<see cref="IdempotencyFilter"/>); after <see cref="RequireIntegratedAccount"/>.</summary>
    public static TBuilder WithIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.With<TBuilder, IdempotencyFilter>();

    private static TBuilder With<TBuilder, TFilter>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder where TFilter : IEndpointFilter
        => builder.AddEndpointFilter<TBuilder, TFilter>().WithMetadata(new FilterMetadata(typeof(TFilter)));
}
