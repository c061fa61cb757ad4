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
}
