using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>A provider's token endpoint shapes: its success answer, its error bodies, whether it rotates refresh tokens.</summary>
public abstract class OAuthDialect
{
    /// <summary>True when each refresh answers a new refresh token and the old one stops working.</summary>
    public abstract bool RotatesRefreshTokens { get; }

    /// <summary>The token answer.</summary>
    public abstract JsonObject TokenAnswer(string accessToken, string refreshToken, TimeSpan lifetime);

    /// <summary>The refusal, as the provider words it.</summary>
    public abstract IResult Refusal(OAuthErrorKind kind);
}
