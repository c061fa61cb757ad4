using Truto.Mappings.Requests;

namespace Truto.Mappings.Runtime.Tests.Requests;

public sealed class IdListTests
{
    [Fact]
    public void Body_ids_come_before_query_ids()
        => Assert.Equal(["b1", "b2", "q1"], IdList.Merge(["b1", "b2"], ["q1"]));

    [Fact]
    public void Duplicates_keep_their_first_position()
        => Assert.Equal(["1", "2", "3"], IdList.Merge(["1", "2", "1"], ["3", "2"]));

    [Fact]
    public void Blank_ids_are_dropped()
        => Assert.Equal(["1"], IdList.Merge(["", " "], ["1"]));

    [Theory]
    [InlineData("51")]
    [InlineData("003A000001abcDE")]
    [InlineData("a/b")]
    [InlineData("...")]
    [InlineData(".x")]
    [InlineData("Zoë 東京")]
    public void Ordinary_ids_have_no_problem(string id)
        => Assert.Null(IdList.Problem(id));

    [Theory]
    [InlineData("5\n1", "control characters")]
    [InlineData("5\r\n1", "control characters")]
    [InlineData("\u0000", "control characters")]
    [InlineData("51\u007F", "control characters")]
    [InlineData(".", "path segment")]
    [InlineData("..", "path segment")]
    public void Ids_that_would_bend_the_request_are_refused_with_a_reason(string id, string reason)
        => Assert.Contains(reason, IdList.Problem(id), StringComparison.Ordinal);
}
