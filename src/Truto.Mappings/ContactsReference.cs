using Truto.Mappings.Adapters;
using Truto.Mappings.Coverage;
using Truto.Mappings.Providers;
using Truto.Mappings.Unified;

namespace Truto.Mappings;

/// <summary>The reference pages of the contacts methods, computed from the compiled mappings.</summary>
public static class ContactsReference
{
    private static readonly ProviderCatalog Catalog = new(GeneratedProviders.All);

    /// <summary>Every parameter and field of <paramref name="method"/> with the providers that support or require it.</summary>
    public static MethodCoverage Coverage(ContactsMethod method) => CoverageReport.For(ContactsSchema.Resource, Catalog, method);

    /// <summary>The same reference as Markdown.</summary>
    public static string Markdown(ContactsMethod method) => CoverageReport.ToMarkdown(Coverage(method));
}
