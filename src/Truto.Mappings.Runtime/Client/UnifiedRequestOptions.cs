namespace Truto.Mappings.Client;

/// <summary>The <c>truto_response_format</c> of a call.</summary>
public enum ResponseFormat
{
    /// <summary>The mapped object plus <c>remote_data</c> (the default).</summary>
    Unified,

    /// <summary>The provider's body and status, untouched.</summary>
    Raw,

    /// <summary>The mapped object without <c>remote_data</c> and without null fields.</summary>
    Normalized,

    /// <summary>The provider's body streamed through unbuffered, with its content type.</summary>
    Stream,
}

/// <summary>The Truto parameters of a unified call (everything but the account and the ids).</summary>
public sealed record UnifiedRequestOptions
{
    /// <summary>The defaults: unified format, remote_data included, nothing excluded.</summary>
    public static UnifiedRequestOptions Default { get; } = new();

    /// <summary><c>truto_response_format</c>.</summary>
    public ResponseFormat Format { get; init; } = ResponseFormat.Unified;

    /// <summary><c>truto_ignore_remote_data</c>: leave <c>remote_data</c> out.</summary>
    public bool IgnoreRemoteData { get; init; }

    /// <summary><c>truto_exclude_fields</c>: field names or dotted paths to leave out.</summary>
    public IReadOnlyList<string> ExcludeFields { get; init; } = [];

    /// <summary><c>remote_query</c>: query parameters passed to the provider as they are; they win over mapped ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RemoteQuery { get; init; } = [];

    /// <summary>Parses a <c>truto_response_format</c> value; null when it is not one of the four.</summary>
    public static ResponseFormat? ParseFormat(string? value) => value switch
    {
        null or "" or "unified" => ResponseFormat.Unified,
        "raw" => ResponseFormat.Raw,
        "normalized" => ResponseFormat.Normalized,
        "stream" => ResponseFormat.Stream,
        _ => null,
    };
}
