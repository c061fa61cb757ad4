using Truto.Mappings.Schema;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// Emits one adapter class per provider file, holding what is provider-wide (info, base URL, auth,
/// common headers, errors, rate-limit headers), and nested in it one operation type per schema
/// method the provider maps (<c>HubspotAdapter.Contacts.BatchDelete</c>): request building,
/// success checks, batch items and field mapping, all as straight-line C# over
/// <c>JsonElement</c> and <c>Utf8JsonWriter</c>. One partial file per concern (as System.Text.Json
/// splits its emitter): <c>.Metadata</c>, <c>.Operations</c>, <c>.Auth</c> (base URL, auth, common
/// headers), <c>.OAuth</c> (the oauth2 block), <c>.Body</c> (request), <c>.Status</c> (success and error predicates),
/// <c>.BatchItems</c>, <c>.FieldMapping</c>, <c>.RateLimit</c> and <c>.Text</c> (templates). Type
/// names in the output are the short names of <see cref="AdapterAliases"/>.
/// </summary>
internal sealed partial class ProviderEmitter
{
    public const string Namespace = "Truto.Mappings.Providers";

    private readonly ProviderSpec _provider;
    private readonly CodeWriter _code;
    private readonly PathCompiler _paths = new();
    private readonly FieldNameTable _fieldNames = new();

    private ProviderEmitter(ProviderSpec provider, CodeWriter code)
    {
        _provider = provider;
        _code = code;
    }

    /// <summary>
    /// Names come from the file (<c>providers/zendesk_sell.yaml</c> → <c>ZendeskSellAdapter</c>), which is
    /// unique, rather than from <c>name</c>, which two files may wrongly share (TM0009): a duplicate
    /// must be a diagnostic, not a clash of generated names.
    /// </summary>
    public static string ClassName(string filePath) => FileIdentifier(filePath) + "Adapter";

    public static string HintName(ProviderSpec provider) => FileIdentifier(provider.FilePath) + "." + OperationNames.Identifier(provider.Resource) + ".g.cs";

    /// <summary>The generated operation type of a method: <c>HubspotAdapter.Contacts.BatchDelete</c>.</summary>
    public static string OperationTypeName(string filePath, string resource, string method)
        => ClassName(filePath) + "." + OperationNames.Identifier(resource) + "." + OperationNames.Identifier(method);

    private static string FileIdentifier(string filePath)
    {
        var normalized = filePath.Replace('\\', '/');
        var folder = normalized.LastIndexOf("/providers/", System.StringComparison.Ordinal);
        var relative = folder >= 0 ? normalized.Substring(folder + "/providers/".Length) : System.IO.Path.GetFileName(normalized);
        var dot = relative.LastIndexOf('.');
        return CodeWriter.Identifier(dot > 0 ? relative.Substring(0, dot) : relative);
    }

    public static string Emit(ProviderSpec provider)
    {
        using var code = new CodeWriter(SourceName(provider.FilePath));
        new ProviderEmitter(provider, code).WriteClass();
        return code.ToString();
    }

    /// <summary>The file name from "mappings/" on, so generated text does not depend on the machine.</summary>
    public static string SourceName(string filePath)
    {
        var normalized = filePath.Replace('\\', '/');
        var index = normalized.LastIndexOf("/mappings/", System.StringComparison.Ordinal);
        return index >= 0 ? normalized.Substring(index + 1) : System.IO.Path.GetFileName(normalized);
    }

    private void WriteClass()
    {
        var name = ClassName(_provider.FilePath);
        _code.Line($"namespace {Namespace};");
        _code.Line();
        AdapterAliases.Write(_code);
        _code.Line();
        _code.Line($"/// <summary>{CodeWriter.Xml(_provider.DisplayName)} {CodeWriter.Xml(_provider.Resource)}, compiled from <c>{CodeWriter.Xml(SourceName(_provider.FilePath))}</c>.</summary>");
        _code.Line(CodeWriter.GeneratedCodeAttribute);
        _code.Open($"public sealed class {name} : AdapterBase");
        _code.Line("/// <summary>The one instance; adapters hold no state.</summary>");
        _code.Line($"public static {name} Instance {{ get; }} = new();");
        _code.Line();
        _code.Open($"private {name}()");
        _code.Close();
        WriteInfo();
        WriteBaseUrl();
        WriteOAuthUrls();
        WriteAuthenticate();
        WriteCommonHeaders();
        WriteErrors();
        WriteRateLimit();
        WriteOperations(name);
        _paths.WriteMethods(_code);
        _fieldNames.Write(_code);
        _code.Close();
    }

    private string ResourceClass => OperationNames.Identifier(_provider.Resource);
}
