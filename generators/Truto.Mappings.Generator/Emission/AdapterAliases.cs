using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// The short names adapter files use, declared once per file as <c>using</c> aliases right after
/// the namespace (as dotnet/runtime's Regex generator writes its usings), instead of a
/// <c>global::</c> name at every use. The shared enums take their targets from the types
/// themselves, so a rename cannot leave an alias behind.
/// </summary>
internal static class AdapterAliases
{
    private const string Adapters = "global::Truto.Mappings.Adapters.";
    private const string Formats = "global::Truto.Mappings.Formats.";
    private const string Json = "global::Truto.Mappings.Json.";

    /// <summary>
    /// Alias and target, in the order they are written. No alias ends in "Adapter", the suffix of
    /// every generated class in the namespace (an alias may not share a name with one), hence
    /// <c>AdapterBase</c> for <c>ProviderAdapter</c>.
    /// </summary>
    public static readonly (string Alias, string Target)[] All =
    [
        ("AccountContext", "global::Truto.Mappings.Accounts.AccountContext"),
        ("ContextKey", "global::Truto.Mappings.Accounts.ContextKey"),
        (nameof(ContextShapeKind), "global::" + typeof(ContextShapeKind).FullName),
        (nameof(ContextValueType), "global::" + typeof(ContextValueType).FullName),
        ("AdapterBase", Adapters + "ProviderAdapter"),
        ("BatchItemResult", Adapters + "BatchItemResult"),
        ("BatchOperation", Adapters + "BatchOperation"),
        (nameof(BatchStrategy), "global::" + typeof(BatchStrategy).FullName),
        ("FanOutOperation", Adapters + "FanOutOperation"),
        (nameof(FieldLocation), "global::" + typeof(FieldLocation).FullName),
        ("OperationInfo", Adapters + "OperationInfo"),
        ("ProviderInfo", Adapters + "ProviderInfo"),
        ("ProviderRequest", Adapters + "ProviderRequest"),
        ("RateLimitScope", Adapters + "RateLimitScope"),
        ("RequestFieldCoverage", Adapters + "RequestFieldCoverage"),
        ("RequestValues", Adapters + "RequestValues"),
        ("SingleIdOperation", Adapters + "SingleIdOperation"),
        ("ContactWriter", Formats + "ContactWriter"),
        ("MappingInput", Formats + "MappingInput"),
        ("RateLimitInfo", Formats + "RateLimitInfo"),
        (nameof(ResetFormat), "global::" + typeof(ResetFormat).FullName),
        ("OAuth2Info", "global::Truto.Mappings.OAuth.OAuth2Info"),
        (nameof(OAuthClientAuthentication), "global::" + typeof(OAuthClientAuthentication).FullName),
        (nameof(OAuthRequestEncoding), "global::" + typeof(OAuthRequestEncoding).FullName),
        (nameof(OAuthRefreshTokens), "global::" + typeof(OAuthRefreshTokens).FullName),
        ("OAuthTokenValue", "global::Truto.Mappings.OAuth.OAuthTokenValue"),
        ("OAuthCallbackValue", "global::Truto.Mappings.OAuth.OAuthCallbackValue"),
        ("JsonNavigation", Json + "JsonNavigation"),
        ("MappedValue", Json + "MappedValue"),
        ("MappingTransforms", Json + "MappingTransforms"),
        ("ArgumentNullException", "global::System.ArgumentNullException"),
        ("ByteBuffer", "global::System.Buffers.ArrayBufferWriter<byte>"),
        ("Convert", "global::System.Convert"),
        ("DateTimeOffset", "global::System.DateTimeOffset"),
        ("Encoding", "global::System.Text.Encoding"),
        ("Enumerable", "global::System.Linq.Enumerable"),
        ("Generic", "global::System.Collections.Generic"),
        ("JsonElement", "global::System.Text.Json.JsonElement"),
        ("JsonEncodedText", "global::System.Text.Json.JsonEncodedText"),
        ("JsonValueKind", "global::System.Text.Json.JsonValueKind"),
        ("Regex", "global::System.Text.RegularExpressions.Regex"),
        ("RegexOptions", "global::System.Text.RegularExpressions.RegexOptions"),
        ("TimeSpan", "global::System.TimeSpan"),
        ("Timeout", "global::System.Threading.Timeout"),
        ("Uri", "global::System.Uri"),
        ("Utf8JsonWriter", "global::System.Text.Json.Utf8JsonWriter"),
    ];

    /// <summary>Writes the table, with a comment saying why short names are safe here.</summary>
    public static void Write(CodeWriter code)
    {
        code.Line("// Short names for the types below. These aliases sit inside the namespace, which only");
        code.Line("// generated files declare: no user code surrounds this file, so nothing else can give");
        code.Line("// these names another meaning here (no alias ends in \"Adapter\", like the generated classes).");
        foreach (var (alias, target) in All)
        {
            code.Line($"using {alias} = {target};");
        }
    }
}
