namespace Truto.Mappings.Adapters;

/// <summary>
/// One HTTP request inside a <c>multipart/mixed</c> batch body: a request line on the call's base
/// path and the part's own headers. Auth and the provider's common headers go on the outer call only.
/// </summary>
/// <param name="method">The HTTP method of the part's request (<c>DELETE</c>).</param>
/// <param name="path">The path after the base URL, placeholders already percent-encoded.</param>
public sealed class ProviderRequestPart(string method, string path)
{
    /// <summary>The HTTP method of the part's request.</summary>
    public string Method { get; } = method;

    /// <summary>The path after the base URL, placeholders already percent-encoded.</summary>
    public string Path { get; } = path;

    /// <summary>The part request's headers.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];
}
