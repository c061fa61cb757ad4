using Truto.Mappings.Coverage;

namespace Truto.Mappings.Server.Docs;

/// <summary>A section of a docs page (the template reads <c>id</c>, <c>title</c>, <c>fields</c>).</summary>
public sealed record DocsSection(string Id, string Title, IReadOnlyList<FieldCoverage> Fields);
