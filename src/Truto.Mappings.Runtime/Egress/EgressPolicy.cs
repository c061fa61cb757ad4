using System.Collections.Immutable;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Egress;

/// <summary>
/// Where provider calls may go. A base URL an account controls — its <c>base_url</c>, or one the
/// provider's YAML builds from context keys (<c>company_domain</c>, <c>instance_url</c>) — must be
/// https, without user info, <c>?</c> or <c>#</c>, on a host the provider's YAML declares
/// (<see cref="ProviderInfo.Hosts"/>); only an origin listed in <see cref="EgressOptions.AllowedBaseUrls"/>
/// may be anywhere (and http). Configuration's <c>Providers:{name}:BaseUrl</c> is the operator's
/// and trusted as it is. The connect-time guard asks <see cref="MayReachAnyAddress"/>.
/// </summary>
public sealed class EgressPolicy
{
    private readonly ImmutableHashSet<Origin> _configured;
    private readonly System.Diagnostics.DistributedContextPropagator? _propagator;
    private ImmutableHashSet<Origin> _allowed;

    /// <summary>Reads the allowed origins and the configured provider base URLs; an allowed entry that is not an origin fails the start.</summary>
    public EgressPolicy(TrutoMappingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _propagator = TracePropagator(options);
        _allowed = options.Egress.AllowedBaseUrls.Select((text, index) => ParseAllowed(text, $"Egress:AllowedBaseUrls:{index}")).ToImmutableHashSet();
        // Configured token URLs are the operator's too: the token client may reach them anywhere.
        _configured = options.ProviderBaseUrls.Values
            .Concat(options.OAuthClients.Values.Select(c => c.TokenUrl).OfType<string>())
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Origin.Of(uri) : (Origin?)null)
            .OfType<Origin>()
            .ToImmutableHashSet();
    }

    /// <summary>
    /// Allows one more origin from now on, as if it were listed in <c>Egress:AllowedBaseUrls</c> (sandbox
    /// mode knows the address of its own simulators only once the server listens).
    /// </summary>
    public void Allow(string origin) => ImmutableInterlocked.Update(ref _allowed, (set, added) => set.Add(added), ParseAllowed(origin, "The origin to allow"));

    /// <summary>True when <paramref name="origin"/> is listed in <c>Egress:AllowedBaseUrls</c>.</summary>
    public bool IsAllowed(Origin origin) => _allowed.Contains(origin);

    /// <summary>
    /// True when a connection to <paramref name="origin"/> may go to any address, loopback and private
    /// ones included: it is listed in <c>Egress:AllowedBaseUrls</c> or is a configured <c>Providers:{name}:BaseUrl</c>.
    /// </summary>
    public bool MayReachAnyAddress(Origin origin) => _allowed.Contains(origin) || _configured.Contains(origin);

    /// <summary>
    /// Checks a base URL an account controls: the account's <c>base_url</c>, or the one the YAML built
    /// from its context keys. Null when it may be called; otherwise the 400 naming <paramref name="field"/>.
    /// The message names the host, never the URL (it may carry credentials).
    /// </summary>
    public TrutoError? CheckAccountUrl(ProviderInfo provider, string url, string field)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(url);
        if (url.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            return Refuse(field, $"The base URL for {provider.DisplayName} contains '?' or '#', which would replace the path or query the provider's calls need.");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return Refuse(field, $"The base URL for {provider.DisplayName} is not an absolute https URL.");
        }
        if (uri.UserInfo.Length > 0)
        {
            return Refuse(field, $"The base URL for {provider.DisplayName} carries user info ('user@'); credentials belong in the context's declared keys.");
        }
        if (IsAllowed(Origin.Of(uri)))
        {
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return Refuse(field, $"The base URL for {provider.DisplayName} must be https (http only for an origin listed in Egress:AllowedBaseUrls).");
        }
        return HostPatterns.Contains(provider.Hosts, uri.IdnHost)
            ? null
            : Refuse(field, $"{provider.DisplayName} calls may go only to the hosts its mapping declares ({Describe(provider.Hosts)}); '{uri.IdnHost}' is not one of them, nor is its origin listed in Egress:AllowedBaseUrls.");
    }

    /// <summary>
    /// Checks a URL a caller gives the server to call back (a batch-delete job's <c>callback_url</c>):
    /// https, without user info or fragment, and not a literal loopback, private or link-local address;
    /// only an origin listed in <c>Egress:AllowedBaseUrls</c> may be anywhere (and http). A host name
    /// is checked again where the connection is made (<see cref="CreateGuardedHandler"/>), so one that
    /// resolves to a private address is refused then. Null when it may be called; otherwise the 400
    /// naming <paramref name="field"/>, which names the host, never the URL (it may carry a token).
    /// </summary>
    public TrutoError? CheckCallbackUrl(string url, string field)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return Refuse(field, $"{field} must be an absolute https URL.");
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return Refuse(field, $"{field} must not carry user info ('user@') or a fragment ('#').");
        }
        if (IsAllowed(Origin.Of(uri)))
        {
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return Refuse(field, $"{field} must be https (http only for an origin listed in Egress:AllowedBaseUrls).");
        }
        if (System.Net.IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && BlockedAddresses.Reason(address) is { } reason)
        {
            return Refuse(field, $"{field} names a {reason} address ({uri.IdnHost}), which the server may not call unless its origin is listed in Egress:AllowedBaseUrls.");
        }
        if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(field, $"{field} names localhost, which the server may not call unless its origin is listed in Egress:AllowedBaseUrls.");
        }
        return null;
    }

    /// <summary>
    /// A handler for clients that call URLs callers chose (callbacks): every connection is checked
    /// where it is made, as provider calls are (loopback, private and link-local addresses only for
    /// origins this policy lets reach any address), and redirects are not followed.
    /// </summary>
    public SocketsHttpHandler CreateGuardedHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = new ConnectGuard(this).ConnectAsync,
        ActivityHeadersPropagator = _propagator,
    };

    /// <summary>
    /// The propagator for a handler that calls third parties: .NET's default (which writes
    /// <c>traceparent</c> whenever an activity is current, as one is under ASP.NET Core) only when
    /// <see cref="TrutoMappingsOptions.PropagateTraceContext"/>; otherwise none, so nothing is written.
    /// </summary>
    public static System.Diagnostics.DistributedContextPropagator? TracePropagator(TrutoMappingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PropagateTraceContext ? System.Diagnostics.DistributedContextPropagator.Current : null;
    }

    /// <summary>Checks a configured <c>Providers:{name}:BaseUrl</c>: trusted as it is, it only has to be an absolute http(s) URL.</summary>
    public static TrutoError? CheckConfiguredUrl(ProviderInfo provider, string url)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : TrutoError.BadRequest("base_url", $"The configured base URL for {provider.DisplayName} (Providers:{provider.Name}:BaseUrl) is not an absolute http(s) URL.");
    }

    private static TrutoError Refuse(string field, string message) => TrutoError.BadRequest(field, message);

    private static string Describe(IReadOnlyList<string> hosts) => hosts.Count == 0 ? "none" : string.Join(", ", hosts);

    /// <summary>Reads an allowed origin; the error names where it came from, not its text (it might carry a password).</summary>
    private static Origin ParseAllowed(string text, string source)
        => Origin.TryParse(text, out var origin)
            ? origin
            : throw new InvalidOperationException($"{source} is not an origin: expected http(s)://host[:port] without path, query or user info.");
}
