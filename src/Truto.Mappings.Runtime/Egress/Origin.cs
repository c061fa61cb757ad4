namespace Truto.Mappings.Egress;

/// <summary>
/// The origin of a URL: scheme, host and port, compared the way a connection is made. The host is
/// the IDN (punycode) form, lower-cased, so <c>https://API.Example.com</c> and
/// <c>https://api.example.com:443</c> are one origin and Unicode look-alikes are not.
/// </summary>
/// <param name="Scheme">The scheme, lower case.</param>
/// <param name="Host">The host, IDN form, lower case (IPv6 in brackets).</param>
/// <param name="Port">The port, the scheme's default when the URL names none.</param>
public readonly record struct Origin(string Scheme, string Host, int Port)
{
    /// <summary>The origin of an absolute URI.</summary>
    public static Origin Of(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return new(uri.Scheme.ToLowerInvariant(), uri.IdnHost.ToLowerInvariant(), uri.Port);
    }

    /// <summary>
    /// Reads a configured origin: an absolute http(s) URL without user info, query, fragment or a
    /// path other than <c>/</c>; false otherwise.
    /// </summary>
    public static bool TryParse(string? text, out Origin origin)
    {
        origin = default;
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
        {
            return false;
        }
        origin = Of(uri);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
