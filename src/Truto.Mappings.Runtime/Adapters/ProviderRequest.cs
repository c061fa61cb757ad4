namespace Truto.Mappings.Adapters;

/// <summary>
/// A provider HTTP request under construction. Adapters fill it in; the runtime adds the base
/// URL, merges <c>remote_query</c> and <c>remote_data</c>, and sends it. Secret headers are kept
/// apart so nothing the caller passes can replace them and nothing logs them.
/// </summary>
public sealed class ProviderRequest
{
    /// <summary>The HTTP method (e.g. <c>DELETE</c>).</summary>
    public string Method { get; set; } = "DELETE";

    /// <summary>The path after the base URL, placeholders already URL-encoded.</summary>
    public string Path { get; set; } = "/";

    /// <summary>Query parameters, not yet encoded.</summary>
    public List<KeyValuePair<string, string>> Query { get; } = [];

    /// <summary>Ordinary headers.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>Authentication headers: never logged, never overridable.</summary>
    public List<KeyValuePair<string, string>> SecretHeaders { get; } = [];

    /// <summary>The JSON body, or null for none.</summary>
    public ReadOnlyMemory<byte>? Body { get; set; }

    /// <summary>
    /// The requests of a <c>multipart/mixed</c> batch body (Dataverse's <c>$batch</c>), one part per
    /// id in id order; empty for every other request. The runtime writes them (boundary, part
    /// headers, request lines on the call's base path) in place of <see cref="Body"/>.
    /// </summary>
    public List<ProviderRequestPart> Parts { get; } = [];

    /// <summary>Adds a part: a request with <paramref name="method"/> on <paramref name="path"/> (after the base URL, placeholders already percent-encoded).</summary>
    public ProviderRequestPart AddPart(string method, string path)
    {
        var part = new ProviderRequestPart(method, path);
        Parts.Add(part);
        return part;
    }
}

/// <summary>The values placeholders read: the id (or ids) and the account context.</summary>
/// <param name="Id">The id for single deletes and inside <c>$each_id</c>.</param>
/// <param name="Ids">The ids of one batch chunk.</param>
/// <param name="Context">The integrated account's context.</param>
public sealed record RequestValues(string Id, IReadOnlyList<string> Ids, Accounts.AccountContext Context)
{
    /// <summary>The same values with another current id (for <c>$each_id</c>).</summary>
    public RequestValues WithId(string id) => this with { Id = id };
}
