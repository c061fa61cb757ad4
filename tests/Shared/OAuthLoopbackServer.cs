using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Testing;

/// <summary>A token request the loopback OAuth provider received: its form (or JSON) parameters and Authorization header.</summary>
internal sealed record TokenRequest(IReadOnlyDictionary<string, string> Parameters, string? Authorization, string ContentType);

/// <summary>
/// An OAuth provider on loopback Kestrel: <c>POST /token</c> issues <c>access-N</c>/<c>refresh-N</c>
/// (rotating the refresh token, <c>expires_in</c> <see cref="Lifetime"/>) for the current refresh token
/// and answers <c>invalid_grant</c> for any other; <c>DELETE /contacts/{id}</c> and
/// <c>POST /contacts/batch</c> accept only the access token issued last and answer 401 otherwise.
/// Tests replace <see cref="TokenAnswer"/> or <see cref="ExpiredAnswer"/> to script other answers.
/// </summary>
internal sealed class OAuthLoopbackServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<TokenRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly Lock _gate = new();
    private int _issued;
    private LoopbackHost _host = null!;

    public Uri Url => _host.Url;

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Origin => _host.Origin;

    /// <summary>The token URL (<c>{origin}/token</c>).</summary>
    public string TokenUrl => Origin + "/token";

    /// <summary>The access token the contacts endpoints accept.</summary>
    public string ValidAccessToken { get; set; } = "access-0";

    /// <summary>The refresh token the token endpoint accepts.</summary>
    public string ValidRefreshToken { get; set; } = "refresh-0";

    /// <summary>The <c>expires_in</c> of issued tokens, in seconds.</summary>
    public int Lifetime { get; set; } = 3600;

    /// <summary>False: the refresh token is not rotated and the answer omits it.</summary>
    public bool Rotate { get; set; } = true;

    /// <summary>When set, answers every token request instead of the default behaviour (status, JSON body).</summary>
    public Func<TokenRequest, (int Status, string Body)>? TokenAnswer { get; set; }

    /// <summary>What the contacts endpoints answer for a wrong access token (default 401 with code EXPIRED).</summary>
    public (int Status, string Body) ExpiredAnswer { get; set; } = (401, """{"code":"EXPIRED","message":"token expired"}""");

    /// <summary>Held before the token endpoint answers, when set (lets concurrent calls pile up).</summary>
    public Task? HoldTokenAnswer { get; set; }

    public IReadOnlyList<TokenRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>Every contacts call as "METHOD path Authorization".</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public static async Task<OAuthLoopbackServer> StartAsync()
    {
        var server = new OAuthLoopbackServer();
        // One terminal handler: app.Run would come before mapped endpoints.
        server._host = await LoopbackHost.StartAsync(app => app.Run(context => context.Request.Path == "/token" ? server.TokenAsync(context) : server.ContactsAsync(context)));
        return server;
    }

    private async Task TokenAsync(HttpContext context)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var contentType = context.Request.ContentType ?? "";
        if (context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted))
            {
                parameters[key] = value.ToString();
            }
        }
        else
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                parameters[property.Name] = property.Value.GetString() ?? "";
            }
        }
        var request = new TokenRequest(parameters, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, contentType);
        _tokenRequests.Enqueue(request);
        if (HoldTokenAnswer is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted);
        }
        var (status, body) = TokenAnswer?.Invoke(request) ?? Issue(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private (int, string) Issue(TokenRequest request)
    {
        lock (_gate)
        {
            var grant = request.Parameters.GetValueOrDefault("grant_type");
            if (grant == "refresh_token" && request.Parameters.GetValueOrDefault("refresh_token") != ValidRefreshToken)
            {
                return (400, """{"error":"invalid_grant","error_description":"refresh token is invalid"}""");
            }
            _issued++;
            ValidAccessToken = "access-" + _issued;
            var answer = new Dictionary<string, object>
            {
                ["access_token"] = ValidAccessToken,
                ["token_type"] = "bearer",
                ["expires_in"] = Lifetime,
                ["scope"] = "contacts",
                ["api_domain"] = Origin,
            };
            if (Rotate || grant == "authorization_code")
            {
                ValidRefreshToken = "refresh-" + _issued;
                answer["refresh_token"] = ValidRefreshToken;
            }
            return (200, JsonSerializer.Serialize(answer));
        }
    }

    private async Task ContactsAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        _calls.Enqueue($"{context.Request.Method} {context.Request.Path} {authorization}");
        context.Response.ContentType = "application/json";
        if (authorization != "Bearer " + ValidAccessToken)
        {
            context.Response.StatusCode = ExpiredAnswer.Status;
            await context.Response.WriteAsync(ExpiredAnswer.Body, context.RequestAborted);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/contacts/batch"))
        {
            var ids = context.Request.Query["ids"].ToString().Split(',');
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { results = ids.Select(id => new { id, ok = true }) }), context.RequestAborted);
            return;
        }
        context.Response.StatusCode = 204;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
