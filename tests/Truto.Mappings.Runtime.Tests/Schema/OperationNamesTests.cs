using Truto.Mappings.Schema;

namespace Truto.Mappings.Runtime.Tests.Schema;

/// <summary>The one rule from a method's name to its other spellings (shared with the generator).</summary>
public sealed class OperationNamesTests
{
    [Theory]
    [InlineData("delete", "delete", "Delete")]
    [InlineData("batch_delete", "batch-delete", "BatchDelete")]
    [InlineData("bulk_archive_all", "bulk-archive-all", "BulkArchiveAll")]
    public void Slug_and_identifier_derive_from_the_name(string name, string slug, string identifier)
        => Assert.Equal((slug, identifier), (OperationNames.Slug(name), OperationNames.Identifier(name)));

    [Fact]
    public void An_identifier_never_starts_with_a_digit()
        => Assert.Equal("M2fa", OperationNames.Identifier("2fa"));

    [Theory]
    [InlineData("batch_delete", true)]
    [InlineData("batch-delete", true)]
    [InlineData("BatchDelete", false)]
    [InlineData(null, false)]
    public void A_method_is_matched_by_its_name_or_slug_only(string? text, bool matches)
        => Assert.Equal(matches, OperationNames.Matches("batch_delete", text));
}
