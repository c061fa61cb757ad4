using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox;

/// <summary>A request a simulator received, as it arrived.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The raw path after <c>/{provider}</c>, still percent-encoded.</param>
/// <param name="QueryString">The raw query string, with its leading <c>?</c>, or empty.</param>
/// <param name="Headers">Headers by lower-case name.</param>
/// <param name="Body">The body text.</param>
public sealed record RecordedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// One provider's API, emulated: its routes under <c>/{name}</c> (the path after the provider's
/// base URL), its auth check, bodies, status codes and rate-limit headers, an in-memory store of
/// contacts, fault switches, and a record of every request. Subclasses say what is specific.
/// </summary>
public abstract class ProviderSimulator
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _served;

    /// <summary>Creates the simulator.</summary>
    protected ProviderSimulator(string name)
    {
        Name = name;
        Contacts = new ContactStore(NewId, NewRecord);
    }

    /// <summary>The integration name (<c>hubspot</c>).</summary>
    public string Name { get; }

    /// <summary>The contacts the provider holds.</summary>
    public ContactStore Contacts { get; }

    /// <summary>Faults to inject.</summary>
    public FaultSwitches Faults { get; } = new();

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>The value of an account's <c>base_url</c> that points at this simulator.</summary>
    public string BaseUrl(Uri rootUrl)
    {
        ArgumentNullException.ThrowIfNull(rootUrl);
        return rootUrl.ToString().TrimEnd('/') + "/" + Name;
    }

    /// <summary>A context the simulator accepts: its credentials, its host keys, and <c>base_url</c>.</summary>
    public JsonObject AccountContext(Uri rootUrl)
    {
        var context = Credentials();
        context["base_url"] = BaseUrl(rootUrl);
        return context;
    }

    /// <summary>The provider's simulated OAuth authorization server (<c>/oauth/{name}/authorize</c>, <c>/oauth/{name}/token</c>), or null for API-key providers.</summary>
    public virtual OAuth.OAuthServerSimulator? OAuthServer => null;

    /// <summary>Requests answered so far (rate-limit headers count down with it).</summary>
    protected long Served => Interlocked.Read(ref _served);

    /// <summary>The account context keys and values this provider accepts (no base_url).</summary>
    protected abstract JsonObject Credentials();

    /// <summary>True when the request carries this provider's credentials.</summary>
    protected abstract bool IsAuthorized(HttpRequest request);

    /// <summary>The provider's answer to bad credentials.</summary>
    protected abstract IResult Unauthorized();

    /// <summary>
    /// The provider's single delete as its documentation gives it: method, a space and the path after
    /// the base URL, with <c>{id}</c> for the id (<c>DELETE /contacts/{id}</c>). The sandbox tests check
    /// that a unified delete sends exactly this.
    /// </summary>
    public abstract string DeleteRequest { get; }

    /// <summary>The status of the provider's answer to bad credentials (<see cref="Unauthorized()"/>): 401 unless the provider says otherwise.</summary>
    public virtual int UnauthorizedStatus => 401;

    /// <summary>An id of the provider's documented form that no seeded contact has (the tests delete it to see the provider's not-found): digits unless the provider's ids look otherwise.</summary>
    public virtual string UnknownId => "999999";

    /// <summary>True when the provider answers a delete of an id it does not have as a success (HubSpot, Agile CRM: 204), so the unified answer is a success too.</summary>
    public virtual bool DeletesUnknownIds => false;

    /// <summary>
    /// The request limit the provider's rate-limit headers announce on every answer, as its documentation
    /// gives it (HubSpot's <c>X-HubSpot-RateLimit-Max: 190</c>), or null where it announces none. The sandbox
    /// tests check that a unified answer carries it as <c>ratelimit-limit</c>.
    /// </summary>
    public virtual int? AnnouncedRateLimit => null;

    /// <summary>True where the provider's headers say how many requests remain (by default: where it announces a limit).</summary>
    public virtual bool AnnouncesRemaining => AnnouncedRateLimit is not null;

    /// <summary>The provider's rate-limit answer (headers are added by the caller).</summary>
    protected abstract IResult RateLimited(int retryAfterSeconds);

    /// <summary>The provider's not-found answer, for unknown ids and unknown routes.</summary>
    protected abstract IResult NotFound(string what);

    /// <summary>The provider's 5xx answer.</summary>
    protected virtual IResult ServerError(int status) => Json(status, new JsonObject { ["message"] = "Internal server error" });

    /// <summary>The provider's rate-limit headers for an answer (remaining counts down).</summary>
    protected virtual void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
    }

    /// <summary>The common <c>X-RateLimit-Limit</c>/<c>-Remaining</c>/<c>-Reset</c> (epoch seconds) headers.</summary>
    protected void AddXRateLimitHeaders(HttpResponse response, int limit, bool exhausted, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = (exhausted ? 0 : Math.Max(0, limit - Served)).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.Add(window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Maps the provider's routes (paths after its base URL).</summary>
    protected abstract void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>A new id in the provider's shape.</summary>
    protected virtual string NewId(int sequence) => (1000 + sequence).ToString(CultureInfo.InvariantCulture);

    /// <summary>A stored record for a seeded contact (only providers that answer with records need one).</summary>
    protected virtual JsonObject? NewRecord(string id, int sequence) => null;

    /// <summary>The 401 for <paramref name="request"/>; providers whose expired tokens get another body than missing ones override it.</summary>
    protected virtual IResult Unauthorized(HttpRequest request) => Unauthorized();

    /// <summary>Maps this simulator under <c>/{Name}</c> of <paramref name="endpoints"/>, its OAuth server under <c>/oauth/{Name}</c>.</summary>
    internal void Map(IEndpointRouteBuilder endpoints)
    {
        OAuthServer?.Map(endpoints);
        var group = endpoints.MapGroup("/" + Name);
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            await RecordAsync(http.Request);
            var fault = Faults.Take();
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, http.RequestAborted);
            }
            Interlocked.Increment(ref _served);
            switch (fault.Kind)
            {
                case FaultKind.RateLimited:
                    AddRateLimitHeaders(http.Response, exhausted: true);
                    if (fault.RetryAfterSeconds > 0)
                    {
                        http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    }
                    return RateLimited(fault.RetryAfterSeconds);
                case FaultKind.ServerError:
                    return ServerError(fault.Status);
                case FaultKind.Malformed:
                    return Results.Text("{\"id\": \"12", "application/json", Encoding.UTF8, 200);
            }
            if (!IsAuthorized(http.Request))
            {
                return Unauthorized(http.Request);
            }
            AddRateLimitHeaders(http.Response, exhausted: false);
            return await next(context);
        });
        MapRoutes(group);
        group.MapFallback(() => NotFound("route"));
    }

    private async Task RecordAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        var marker = "/" + Name;
        var start = path.IndexOf(marker + "/", StringComparison.Ordinal);
        var relative = start >= 0 ? path[(start + marker.Length)..] : path.EndsWith(marker, StringComparison.Ordinal) ? "" : path;
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new RecordedRequest(request.Method, relative, query < 0 ? "" : raw[query..], headers, body));
    }

    /// <summary>A JSON answer.</summary>
    protected static IResult Json(int status, JsonNode body, string contentType = "application/json")
        => Results.Text(body.ToJsonString(), contentType, Encoding.UTF8, status);

    /// <summary>An answer with no body.</summary>
    protected static IResult Empty(int status) => Results.StatusCode(status);

    /// <summary>An HTML error page (as some providers send for 401 and 404).</summary>
    protected static IResult Html(int status, string title)
        => Results.Text($"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>", "text/html", Encoding.UTF8, status);

    /// <summary>The bearer token of a request, or null.</summary>
    protected static string? BearerToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    /// <summary>True when the request carries HTTP Basic credentials equal to these.</summary>
    protected static bool HasBasic(HttpRequest request, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password));
        return request.Headers.Authorization.ToString() == expected;
    }

    /// <summary>The OAuth token context shape (<c>oauth.token.access_token</c>).</summary>
    protected static JsonObject OAuth(string token) => new() { ["token"] = new JsonObject { ["access_token"] = token } };

    /// <summary>Splits a comma-joined id list.</summary>
    protected static string[] SplitIds(string? ids)
        => (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Deletes an id; true when it existed.</summary>
    protected bool Delete(string id) => Contacts.TryRemove(id, out _);
}
