namespace Truto.Mappings.Accounts;

/// <summary>
/// The shape a context key that forms part of a URL must have (YAML <c>context: … shape:</c>), so
/// an account cannot steer a call to another host by what it stores (a <c>company_domain</c> of
/// <c>127.0.0.1:9103/x#</c>).
/// </summary>
public enum ContextShapeKind
{
    /// <summary>One DNS label: letters, digits and inner hyphens, at most 63 characters.</summary>
    DnsLabel,

    /// <summary>One of the values the declaration lists (a region, a data centre).</summary>
    OneOf,

    /// <summary>An https origin: <c>https://host[:port]</c>, no user info, path, query or fragment.</summary>
    HttpsOrigin,

    /// <summary>
    /// One URL path segment: RFC 3986 unreserved characters only (letters, digits, <c>-</c>, <c>.</c>,
    /// <c>_</c>, <c>~</c>), not <c>.</c> or <c>..</c> (Pipeliner's <c>space_id</c>, <c>nv3_PipelinerDev</c>).
    /// </summary>
    PathSegment,
}
