using Microsoft.CodeAnalysis;

namespace Truto.Mappings.Generator.Diagnostics;

/// <summary>
/// The one catalogue of mapping-file diagnostics. IDs are stable: never reuse or renumber one.
/// Every message names the YAML key, what was found and what was expected.
/// </summary>
/// <remarks>
/// No help link: an IDE opens a help link as an absolute URL, and this project has no public site
/// to point at (a relative <c>mappings/README.md#tm0001</c> opened nothing). The help is the
/// message itself, and the Diagnostics section of <c>mappings/README.md</c>, which lists every ID
/// with its cause and fix under an anchor named after it.
/// </remarks>
internal static class DiagnosticDescriptors
{
    private const string Category = "Truto.Mappings";

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor YamlSyntax = Error(
        "TM0001", "Invalid YAML", "{0}: the file is not valid YAML: {1}");

    public static readonly DiagnosticDescriptor UnknownKey = Error(
        "TM0002", "Unknown key", "Unknown key '{0}' in {1}{2}; expected one of: {3}");

    public static readonly DiagnosticDescriptor MissingKey = Error(
        "TM0003", "Missing required key", "Missing required key '{0}' in {1}");

    public static readonly DiagnosticDescriptor UnknownUnifiedField = Error(
        "TM0004", "Unknown unified field", "Unknown unified field '{0}' in {1}{2}; the unified contact has: {3}");

    public static readonly DiagnosticDescriptor InvalidPath = Error(
        "TM0005", "Invalid path expression", "Invalid path expression '{0}' in {1}: {2}");

    public static readonly DiagnosticDescriptor UnknownTransform = Error(
        "TM0006", "Unknown transform", "Unknown transform '{0}' in {1}{2}; expected one of: {3}");

    public static readonly DiagnosticDescriptor InvalidTemplate = Error(
        "TM0007", "Invalid placeholder", "Invalid template '{0}' in {1}: {2}");

    public static readonly DiagnosticDescriptor WrongType = Error(
        "TM0008", "Value of the wrong type", "'{0}' must be {1}, but found {2}");

    public static readonly DiagnosticDescriptor DuplicateProvider = Error(
        "TM0009", "Duplicate provider name", "Provider name '{0}' is declared again; it is already declared in {1}");

    public static readonly DiagnosticDescriptor IdsNeverSent = Error(
        "TM0010", "The request can never carry the ids", "{0} never sends {1}: reference {2} in the path, query or body");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        "TM0011", "Value not allowed", "'{0}' is '{1}'; expected {2}");

    public static readonly DiagnosticDescriptor MissingSchema = Error(
        "TM0012", "Unified schema not found", "No unified schema file (mappings/unified/crm/contacts.yaml) is among the AdditionalFiles, so '{0}' cannot be checked");

    public static readonly DiagnosticDescriptor TooDeep = Error(
        "TM0013", "Nested too deeply", "'{0}' is nested too deeply: found {1}, expected at most {2}");

    public static readonly DiagnosticDescriptor AnchorOrAlias = Error(
        "TM0014", "Anchors and aliases are not supported", "'{0}' in {1}: YAML anchors (&name) and aliases (*name) are not supported in mapping files; expected the value written out in full");

    public static readonly DiagnosticDescriptor TooLarge = Error(
        "TM0015", "Value too large", "'{0}' is too large: found {1}, expected at most {2}");

    public static readonly DiagnosticDescriptor InvalidName = Error(
        "TM0016", "Name unusable in generated code", "'{0}' is '{1}', which cannot name generated code; expected {2}");

    public static readonly DiagnosticDescriptor NameCollision = Error(
        "TM0017", "Generated names collide", "'{0}' gives the generated name '{1}', which {2} already has; expected a name that differs after conversion to PascalCase");

    public static readonly DiagnosticDescriptor MethodShape = Error(
        "TM0018", "Method shape missing or unknown", "'{0}' is {1}; expected 'shape: single' (one id, one provider call) or 'shape: batch' (many ids: a native batch or one call per id)");

    public static readonly DiagnosticDescriptor UndeclaredContextKey = Error(
        "TM0019", "Undeclared context key", "{0} reads context key '{1}', which the context section does not declare{2}; declare it under context: with a label (and secret: true for a credential)");

    public static readonly DiagnosticDescriptor UrlKeyWithoutShape = Error(
        "TM0020", "URL-forming context key without a shape", "Context key '{0}' forms part of {1} but declares no shape; add shape: dns_label (one host label), shape: {{one_of: [a, b]}} (a listed value), shape: https_origin (https://host) or shape: path_segment (one path segment)");

    public static readonly DiagnosticDescriptor InvalidContextDeclaration = Error(
        "TM0021", "Invalid context declaration", "'{0}' is not a valid context declaration: {1}");

    public static readonly DiagnosticDescriptor InvalidHosts = Error(
        "TM0022", "Hosts missing or invalid", "{0}; expected {1}");

    public static readonly DiagnosticDescriptor InvalidIdPattern = Error(
        "TM0023", "Invalid id pattern", "'{0}' is '{1}', which is not a valid .NET regular expression ({2}); expected a pattern every id must match whole, e.g. '[0-9]+'");

    public static readonly DiagnosticDescriptor InvalidOAuthUrl = Error(
        "TM0024", "Invalid OAuth 2.0 URL", "'{0}' is '{1}': {2}");

    public static readonly DiagnosticDescriptor InvalidTokenValue = Error(
        "TM0025", "Invalid OAuth token or callback value", "'{0}' is not valid: {1}");

    public static readonly DiagnosticDescriptor InvalidOAuth = Error(
        "TM0026", "Invalid OAuth 2.0 declaration", "'{0}' is not valid: {1}");

    public static readonly DiagnosticDescriptor InvalidAuthAlternatives = Error(
        "TM0027", "Invalid auth alternatives", "'{0}' is not valid: {1}");

    public static readonly DiagnosticDescriptor NumberOutsideBody = Error(
        "TM0028", "Number outside a JSON body value", "'{0}' in {1} writes '| number', but {2}");

    public static readonly DiagnosticDescriptor NotANumber = Error(
        "TM0029", "Value cannot be a number", "'{0}' in {1}: {2} cannot be a JSON number; expected {3}");

    public static readonly DiagnosticDescriptor InvalidRateWindows = Error(
        "TM0030", "Invalid rate-limit windows", "'{0}' is not valid: {1}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "TM9999", "Internal generator error", "The mappings generator failed on this file; please report it: {0}");
}
