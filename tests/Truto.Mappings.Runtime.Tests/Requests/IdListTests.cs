using Truto.Mappings.Adapters;
using Truto.Mappings.Requests;
using Truto.Mappings.Runtime.Tests.Infrastructure;

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

    [Theory]
    [InlineData("003A,003B", "separates ids")]
    [InlineData("003A-", "form of this provider's ids")]
    [InlineData("0123456789012345678", "form of this provider's ids")]
    public void Ids_against_a_batchs_separator_and_id_pattern_are_refused_with_a_reason(string id, string reason)
        => Assert.Contains(reason, IdList.Problem(id, TestBatch.Instance.Info), StringComparison.Ordinal);

    [Fact]
    public void An_id_of_the_declared_form_without_the_separator_may_be_sent()
        => Assert.Null(IdList.Refusal("003A000001abcDE", TestBatch.Instance));

    [Fact]
    public void A_pattern_must_cover_the_id_whole_even_when_the_yaml_does_not_anchor_it()
    {
        var info = TestDelete.Instance.Info with { IdPattern = new System.Text.RegularExpressions.Regex("[0-9]+") };

        Assert.Null(IdList.Problem("51", info));
        Assert.NotNull(IdList.Problem("51/../x", info));
    }

    [Fact]
    public void An_id_whose_check_runs_past_the_patterns_match_timeout_is_refused_naming_it_instead_of_throwing()
    {
        // Nested quantifiers backtrack exponentially on a near miss: the timeout trips every time.
        var info = TestDelete.Instance.Info with
        {
            IdPattern = new System.Text.RegularExpressions.Regex("^(a+)+$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(1)),
        };

        var problem = IdList.Problem(new string('a', 40) + "!", info);

        Assert.Contains("could not be checked against this provider's id pattern", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fan_out_checks_the_ids_against_the_single_id_operation_each_goes_through()
    {
        var refusal = IdList.Refusal("not-an-id!", TestFanOut.Instance);

        Assert.Equal(400, refusal!.StatusCode);
        Assert.Equal("id", refusal.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("102")]
    [InlineData("0")]
    [InlineData("-7")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("2E-10")]
    public void Where_ids_are_sent_as_numbers_a_JSON_number_has_no_problem(string id)
        => Assert.Null(IdList.Problem(id, NumericDelete));

    [Theory]
    [InlineData("007")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1,000")]
    [InlineData("0x1F")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData(" 102")]
    [InlineData("102 ")]
    [InlineData("1e")]
    [InlineData("-")]
    [InlineData("cont_102")]
    public void Where_ids_are_sent_as_numbers_an_id_that_is_no_JSON_number_is_refused(string id)
    {
        Assert.Contains("is not a number", IdList.Problem(id, NumericDelete), StringComparison.Ordinal);
        Assert.Null(IdList.Problem(id, NumericDelete with { NumericIds = false }));
    }

    [Fact]
    public void A_fan_out_refuses_what_its_single_id_operation_sends_as_a_number()
    {
        var fanOut = new NumberFanOut(new NumberDelete(new LoopbackProvider("numbers")));

        Assert.NotNull(IdList.Refusal("007", fanOut));
        Assert.Null(IdList.Refusal("7", fanOut));
    }

    private static readonly OperationInfo NumericDelete = new("contacts", "delete", BatchStrategy.Native, 1, 1, [], []) { NumericIds = true };

    private sealed class NumberDelete(ProviderAdapter provider) : SingleIdOperation
    {
        public override ProviderAdapter Provider => provider;

        public override OperationInfo Info => NumericDelete;

        public override void BuildRequest(ProviderRequest request, RequestValues values) => request.Path = "/contacts";

        public override void WriteContact(Mappings.Formats.ContactWriter writer, Mappings.Formats.MappingInput input)
        {
        }
    }

    private sealed class NumberFanOut(SingleIdOperation perId) : FanOutOperation(perId)
    {
        public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.FanOut, 1, 4, [], []);
    }
}
