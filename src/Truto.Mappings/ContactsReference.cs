using Truto.Mappings.Coverage;
using Truto.Mappings.Operations;
using Truto.Mappings.Providers;
using Truto.Mappings.Unified;

namespace Truto.Mappings;

/// <summary>The reference pages of the contacts methods, computed from the compiled mappings.</summary>
public static class ContactsReference
{
    /// <summary>The contacts rows of the operation table, in the schema's order.</summary>
    public static IEnumerable<UnifiedOperation> Operations => GeneratedProviders.Operations.Of(ContactsSchema.Resource.Resource);

    /// <summary>Every parameter and field of a method (by name, <c>batch_delete</c>, or slug, <c>batch-delete</c>) with the providers that support or require it.</summary>
    /// <exception cref="ArgumentException">The schema has no such method.</exception>
    public static MethodCoverage Coverage(string method)
        => CoverageReport.For(GeneratedProviders.Operations.Find(ContactsSchema.Resource.Resource, method)
            ?? throw new ArgumentException($"The contacts schema has no method '{method}'.", nameof(method)));

    /// <summary>The same reference as Markdown.</summary>
    public static string Markdown(string method) => CoverageReport.ToMarkdown(Coverage(method));
}
