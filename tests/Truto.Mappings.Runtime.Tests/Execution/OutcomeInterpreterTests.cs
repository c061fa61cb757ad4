using System.Text;
using System.Text.Json;
using Truto.Mappings.Errors;
using Truto.Mappings.Execution;
using Truto.Mappings.Http;
using Truto.Mappings.Runtime.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.Execution;

/// <summary>
/// The outcome interpreter on its own: provider answers built in memory, per-id outcomes out, with
/// the status rules of the README's decisions.
/// </summary>
public sealed class OutcomeInterpreterTests
{
    [Fact]
    public void A_success_status_with_a_JSON_body_deletes_the_id_with_the_body_as_root_and_item()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(200, """{"id": "7"}"""), "7");

        Assert.True(outcome.Succeeded);
        Assert.Equal("7", outcome.Root!.Value.GetProperty("id").GetString());
        Assert.Equal(outcome.Root.Value.GetRawText(), outcome.Item!.Value.GetRawText());
    }

    [Fact]
    public void A_success_read_for_writing_at_once_comes_from_the_document_handed_to_the_caller()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(200, """{"id": "7"}"""), "7", OutcomeInterpreter.DefaultMaxRawBytes, out var document);

        using (document)
        {
            Assert.NotNull(document);
            Assert.True(outcome.Succeeded);
            Assert.Equal("7", outcome.Root!.Value.GetProperty("id").GetString());
            Assert.Equal(document.RootElement, outcome.Root.Value);
        }
        Assert.Throws<ObjectDisposedException>(() => outcome.Root.Value.GetRawText());
    }

    [Theory]
    [InlineData(204, "")]
    [InlineData(200, "<html><title>Maintenance</title></html>")]
    [InlineData(404, """{"errors": [{"x": 1}]}""")]
    [InlineData(200, """{"errors": [{"x": 1}], "message": "Item is locked"}""")]
    public void Any_other_answer_read_for_writing_at_once_is_the_usual_outcome_and_hands_over_no_document(int status, string body)
    {
        var usual = OutcomeInterpreter.Single(TestDelete.Instance, Answer(status, body), "7");

        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(status, body), "7", OutcomeInterpreter.DefaultMaxRawBytes, out var document);

        Assert.Null(document);
        Assert.Equal(usual.Succeeded, outcome.Succeeded);
        Assert.Equal(usual.Error?.StatusCode, outcome.Error?.StatusCode);
        Assert.Equal(usual.Error?.Message, outcome.Error?.Message);
        Assert.Equal(usual.Root?.GetRawText(), outcome.Root?.GetRawText());
    }

    [Fact]
    public void An_empty_success_answer_deletes_the_id_without_a_body()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, new ProviderAnswer(204, ReadOnlyMemory<byte>.Empty), "7");

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Root);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    public void A_2xx_answer_that_is_not_JSON_is_a_502_with_the_text_as_raw_response_listed_as_success_or_not(int status)
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(status, "<html><title>Maintenance</title></html>"), "7");

        Assert.Equal(502, outcome.Error!.StatusCode);
        Assert.True(outcome.Error.IsRemoteError);
        Assert.Equal($"Test CRM answered {status} with a body that is not valid JSON.", outcome.Error.Message);
        Assert.Equal("<html><title>Maintenance</title></html>", outcome.Error.RawResponse!.Value.GetString());
    }

    [Fact]
    public void A_success_status_whose_body_matches_failure_when_is_a_502_with_the_providers_message()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(200, """{"errors": [{"x": 1}], "message": "Item is locked"}"""), "7");

        Assert.Equal(502, outcome.Error!.StatusCode);
        Assert.Equal("Item is locked", outcome.Error.Message);
        Assert.Equal(JsonValueKind.Object, outcome.Error.RawResponse!.Value.ValueKind);
    }

    [Theory]
    [InlineData(200, "Test CRM answered 200 OK.")]
    [InlineData(203, "Test CRM answered 203 Non-Authoritative Information.")]
    public void A_failure_without_a_message_names_the_status_with_its_reason_phrase_in_one_piece(int status, string message)
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(status, """{"errors": [{"x": 1}]}"""), "7");

        Assert.Equal(message, outcome.Error!.Message);
    }

    [Fact]
    public void An_error_answer_keeps_the_providers_status_and_message()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(409, """{"message": "Contact is locked"}"""), "7");

        Assert.Equal(409, outcome.Error!.StatusCode);
        Assert.Equal("Contact is locked", outcome.Error.Message);
        Assert.True(outcome.Error.IsRemoteError);
    }

    [Fact]
    public void An_answer_that_is_neither_success_nor_an_error_status_is_a_502()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(302, """{"message": "Moved"}"""), "7");

        Assert.Equal(502, outcome.Error!.StatusCode);
        Assert.Equal("Moved", outcome.Error.Message);
    }

    [Fact]
    public void An_error_without_a_message_is_described_by_its_status()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(500, "{}"), "7");

        Assert.Equal(500, outcome.Error!.StatusCode);
        Assert.Equal($"Test CRM answered 500 {TrutoError.ReasonPhrase(500)}.", outcome.Error.Message);
    }

    [Fact]
    public void A_gone_code_on_a_single_call_counts_as_deleted()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(404, """{"code": "ALREADY_DELETED", "message": "gone"}"""), "7");

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Root);
    }

    [Fact]
    public void A_rate_limit_code_is_a_429_whatever_the_status()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(403, """{"code": "SLOW_DOWN", "message": "Too many calls"}"""), "7");

        Assert.Equal(429, outcome.Error!.StatusCode);
        Assert.Equal("Too many calls", outcome.Error.Message);
    }

    [Fact]
    public void A_code_the_yaml_maps_to_a_status_takes_that_status()
    {
        var outcome = OutcomeInterpreter.Single(TestDelete.Instance, Answer(400, """{"code": "NO_SUCH_CONTACT", "message": "No such contact"}"""), "7");

        Assert.Equal(404, outcome.Error!.StatusCode);
    }

    [Fact]
    public void A_transport_error_is_the_outcome_of_the_id_and_of_every_id_of_a_batch()
    {
        var timeout = new TrutoError(504, "test did not answer within 30 s.");
        var answer = new ProviderAnswer(504, ReadOnlyMemory<byte>.Empty, timeout);

        Assert.Same(timeout, OutcomeInterpreter.Single(TestDelete.Instance, answer, "7").Error);
        Assert.All(OutcomeInterpreter.Batch(TestBatch.Instance, answer, ["1", "2"]), o => Assert.Same(timeout, o.Error));
    }

    [Fact]
    public void Batch_items_are_paired_with_ids_in_request_order()
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(200, """{"results": [{"id": "2", "ok": true}, {"id": "1", "ok": true}]}"""), ["1", "2"]);

        Assert.Equal(["1", "2"], outcomes.Select(o => o.Id));
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal("1", outcomes[0].Item!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public void A_failed_item_is_a_400_with_its_message_and_the_item_as_raw_response()
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(200, """{"results": [{"id": "1", "ok": false, "error": "Locked"}]}"""), ["1"]);

        var error = Assert.Single(outcomes).Error!;
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Locked", error.Message);
        Assert.Equal("1", error.RawResponse!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public void A_gone_code_on_an_item_counts_as_deleted()
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(200, """{"results": [{"id": "1", "ok": false, "code": "ALREADY_DELETED"}]}"""), ["1"]);

        Assert.True(Assert.Single(outcomes).Succeeded);
    }

    [Theory]
    [InlineData("SLOW_DOWN", 429)]
    [InlineData("NO_SUCH_CONTACT", 404)]
    [InlineData("OTHER", 400)]
    public void An_items_code_decides_its_status(string code, int status)
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(200, $$"""{"results": [{"id": "1", "ok": false, "code": "{{code}}", "error": "no"}]}"""), ["1"]);

        Assert.Equal(status, Assert.Single(outcomes).Error!.StatusCode);
    }

    [Fact]
    public void An_id_the_provider_did_not_mention_is_a_404_with_the_whole_answer_as_raw_response()
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(200, """{"results": [{"id": "1", "ok": true}]}"""), ["1", "9"]);

        Assert.True(outcomes[0].Succeeded);
        Assert.Equal(404, outcomes[1].Error!.StatusCode);
        Assert.True(outcomes[1].Error!.RawResponse!.Value.TryGetProperty("results", out _));
    }

    [Fact]
    public void A_failed_batch_call_fails_every_id_with_the_same_error()
    {
        var outcomes = OutcomeInterpreter.Batch(TestBatch.Instance, Answer(401, """{"message": "Bad token"}"""), ["1", "2"]);

        Assert.All(outcomes, o => Assert.Equal((401, "Bad token"), (o.Error!.StatusCode, o.Error.Message)));
    }

    [Fact]
    public void A_fan_out_call_answers_for_its_one_id_by_the_single_operations_rules()
    {
        var deleted = OutcomeInterpreter.Batch(TestFanOut.Instance, new ProviderAnswer(204, ReadOnlyMemory<byte>.Empty), ["7"]);
        var failed = OutcomeInterpreter.Batch(TestFanOut.Instance, Answer(200, """{"errors": ["x"], "message": "no"}"""), ["8"]);

        Assert.True(Assert.Single(deleted).Succeeded);
        Assert.Equal(502, Assert.Single(failed).Error!.StatusCode);
    }

    private static ProviderAnswer Answer(int status, string body) => new(status, Encoding.UTF8.GetBytes(body));
}
