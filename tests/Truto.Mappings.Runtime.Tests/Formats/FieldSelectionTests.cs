using Truto.Mappings.Formats;

namespace Truto.Mappings.Runtime.Tests.Formats;

/// <summary>Which unified fields a response carries (<c>truto_exclude_fields</c>).</summary>
public sealed class FieldSelectionTests
{
    [Fact]
    public void All_excludes_nothing_and_keeps_nulls()
    {
        Assert.False(FieldSelection.All.Excludes("id"));
        Assert.False(FieldSelection.All.Excludes("owner.id"));
        Assert.False(FieldSelection.All.OmitNulls);
    }

    [Fact]
    public void An_excluded_field_is_excluded()
        => Assert.True(new FieldSelection(["email"], omitNulls: false).Excludes("email"));

    [Fact]
    public void Excluding_a_parent_excludes_everything_under_it()
    {
        var selection = new FieldSelection(["remote_data"], omitNulls: false);

        Assert.True(selection.Excludes("remote_data.errors"));
        Assert.True(selection.Excludes("remote_data.a.b.c"));
    }

    [Fact]
    public void Excluding_a_dotted_path_keeps_its_parent_and_siblings()
    {
        var selection = new FieldSelection(["owner.id"], omitNulls: false);

        Assert.True(selection.Excludes("owner.id"));
        Assert.True(selection.Excludes("owner.id.raw"));
        Assert.False(selection.Excludes("owner"));
        Assert.False(selection.Excludes("owner.name"));
    }

    [Fact]
    public void Names_that_merely_start_like_an_excluded_name_are_kept()
    {
        var selection = new FieldSelection(["owner"], omitNulls: false);

        Assert.False(selection.Excludes("owners"));
        Assert.False(selection.Excludes("owner_id"));
    }

    [Fact]
    public void Exclusions_are_case_sensitive()
        => Assert.False(new FieldSelection(["Email"], omitNulls: false).Excludes("email"));

    [Fact]
    public void Empty_exclusions_are_ignored()
    {
        var selection = new FieldSelection([""], omitNulls: false);

        Assert.False(selection.Excludes(""));
        Assert.False(selection.Excludes("id"));
    }

    [Fact]
    public void ExcludesAny_is_false_only_without_exclusions()
    {
        Assert.False(FieldSelection.All.ExcludesAny);
        Assert.False(new FieldSelection([""], omitNulls: false).ExcludesAny);
        Assert.True(new FieldSelection(["id"], omitNulls: false).ExcludesAny);
    }

    [Fact]
    public void ExcludesInside_is_true_for_every_path_an_exclusion_lies_under()
    {
        var selection = new FieldSelection(["remote_data.a.b"], omitNulls: false);

        Assert.True(selection.ExcludesInside("remote_data"));
        Assert.True(selection.ExcludesInside("remote_data.a"));
        Assert.False(selection.ExcludesInside("remote_data.a.b"));
        Assert.False(selection.ExcludesInside("remote_data.ab"));
        Assert.False(selection.ExcludesInside("remote"));
        Assert.False(selection.ExcludesInside("a"));
    }

    [Fact]
    public void OmitNulls_is_what_was_asked_for()
        => Assert.True(new FieldSelection([], omitNulls: true).OmitNulls);
}
