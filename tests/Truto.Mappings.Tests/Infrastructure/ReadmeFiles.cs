namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>
/// The tests that check the READMEs' generated regions (<see cref="ProviderTableTests"/>,
/// <see cref="OAuthTableTests"/>) run one at a time: accepting a region reads and rewrites the whole
/// file, so two classes running in parallel could lose each other's region or read a half-written file.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReadmeFiles
{
    public const string Name = "README files";
}
