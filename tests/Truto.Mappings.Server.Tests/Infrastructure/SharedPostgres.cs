namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>The test classes that share one <see cref="PostgresServer"/> for the whole run (each uses its own databases).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
