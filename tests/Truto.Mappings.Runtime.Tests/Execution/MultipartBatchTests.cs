using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Truto.Mappings.Client;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Execution;

/// <summary>
/// A <c>multipart/mixed</c> batch (Dataverse's <c>$batch</c>) through the real runtime over Kestrel
/// on loopback: what the runtime writes (a boundary per call, one <c>application/http</c> part per
/// id on the base URL's path, numbered by Content-ID) and how it reads the answer's parts.
/// </summary>
public sealed class MultipartBatchTests : IAsyncLifetime
{
    private const string BasePath = "/api/data/v9.2";
    private const string AnswerBoundary = "batchresponse_5e0c";

    private readonly ConcurrentQueue<ReceivedBatch> _received = new();
    private LoopbackHost _host = null!;
    private Func<IReadOnlyList<ReceivedPart>, (int Status, string ContentType, string Body)> _answer = null!;

    [Fact]
    public async Task Each_id_is_a_part_on_the_base_path_under_a_new_boundary_per_call()
    {
        _answer = parts => Answer(parts.Select(p => Part(p.ContentId, "HTTP/1.1 204 No Content")));

        await using (var first = await Client(2).BatchDeleteAsync(Account, ["a b/c", "x-2", "x-3"]))
        {
            Assert.Equal(200, first.StatusCode);
        }

        var calls = _received.ToList();
        Assert.Equal(2, calls.Count);
        var firstCall = calls.Single(c => c.Parts.Count == 2);
        Assert.Equal("odata.continue-on-error", firstCall.Prefer);
        Assert.Equal(["1", "2"], firstCall.Parts.Select(p => p.ContentId));
        Assert.All(firstCall.Parts, p => Assert.Equal("application/http", p.ContentType));
        Assert.Equal(
            ["DELETE /api/data/v9.2/contacts(a%20b%2Fc) HTTP/1.1\r\nMSCRMCallerID: caller-1\r\n\r\n", "DELETE /api/data/v9.2/contacts(x-2) HTTP/1.1\r\nMSCRMCallerID: caller-1\r\n\r\n"],
            firstCall.Parts.Select(p => p.Content));
        Assert.NotEqual(calls[0].Boundary, calls[1].Boundary);
    }

    [Fact]
    public async Task Parts_are_paired_with_ids_by_Content_ID_whatever_their_order()
    {
        _answer = _ => Answer(
            Part("3", "HTTP/1.1 204 No Content"),
            Part("1", "HTTP/1.1 404 Not Found", """{"message": "contact With Id = 11 Does Not Exist"}"""),
            Part("2", "HTTP/1.1 204 No Content"));

        var (deleted, errors) = await BatchAsync(["11", "12", "13"]);

        Assert.Equal(["12", "13"], deleted);
        var error = Assert.Single(errors);
        Assert.Equal("11", error.GetProperty("id").GetString());
        Assert.Equal(404, error.GetProperty("statusCode").GetInt32());
        Assert.Equal("contact With Id = 11 Does Not Exist", error.GetProperty("message").GetString());
        Assert.Equal("contact With Id = 11 Does Not Exist", error.GetProperty("raw_response").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Parts_without_Content_ID_are_paired_by_position()
    {
        _answer = _ => Answer(Part(null, "HTTP/1.1 204 No Content"), Part(null, "HTTP/1.1 404 Not Found", """{"message": "gone"}"""));

        var (deleted, errors) = await BatchAsync(["21", "22"]);

        Assert.Equal(["21"], deleted);
        Assert.Equal("22", Assert.Single(errors).GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_id_without_a_part_failed_with_a_502_not_a_404()
    {
        _answer = _ => Answer(Part("1", "HTTP/1.1 204 No Content"));

        var (deleted, errors) = await BatchAsync(["31", "32"]);

        Assert.Equal(["31"], deleted);
        var error = Assert.Single(errors);
        Assert.Equal("32", error.GetProperty("id").GetString());
        Assert.Equal(502, error.GetProperty("statusCode").GetInt32());
        Assert.Equal("The batch answer of Loopback CRM has no part for this id; whether it was deleted is unknown.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_failing_part_whose_body_is_not_JSON_keeps_its_text()
    {
        _answer = _ => Answer(Part("1", "HTTP/1.1 503 Service Unavailable", "Service Unavailable", "text/plain"), Part("2", "HTTP/1.1 200 OK", "<html>ok</html>", "text/html"));

        var (deleted, errors) = await BatchAsync(["41", "42"]);

        Assert.Empty(deleted);
        Assert.Equal(503, errors[0].GetProperty("statusCode").GetInt32());
        Assert.Equal("Service Unavailable", errors[0].GetProperty("raw_response").GetString());
        // A 2xx part that is not JSON is the single call's rule: a 502 that keeps the text.
        Assert.Equal(502, errors[1].GetProperty("statusCode").GetInt32());
        Assert.Equal("<html>ok</html>", errors[1].GetProperty("raw_response").GetString());
    }

    [Fact]
    public async Task A_malformed_answer_is_a_502_for_every_id_with_the_providers_text()
    {
        const string Broken = "--batchresponse_5e0c\r\nContent-Type: application/http\r\n\r\n<html>busy</html>\r\n--batchresponse_5e0c--\r\n";
        _answer = _ => (200, "multipart/mixed; boundary=" + AnswerBoundary, Broken);

        await using var result = await Client(10).BatchDeleteAsync(Account, ["51", "52"]);
        using var body = result.ParseJson();

        Assert.Equal(502, result.StatusCode);
        var error = body.RootElement.GetProperty("chunk_errors")[0];
        Assert.Equal("Loopback CRM answered 200 with a batch answer that could not be read: part 1 does not start with an HTTP status line ('HTTP/1.1 204 No Content'). Whether these ids were deleted is unknown.", error.GetProperty("message").GetString());
        Assert.Equal(Broken, error.GetProperty("raw_response").GetString());
    }

    [Fact]
    public async Task A_part_that_is_not_an_HTTP_response_is_named_in_the_502_with_its_type_cut_short()
    {
        var type = "application/json; profile=" + new string('x', 200);
        _answer = _ => (200, "multipart/mixed; boundary=" + AnswerBoundary, $"--{AnswerBoundary}\r\nContent-Type: {type}\r\n\r\n{{}}\r\n--{AnswerBoundary}--\r\n");

        await using var result = await Client(10).BatchDeleteAsync(Account, ["81"]);

        Assert.Equal(502, result.StatusCode);
        Assert.Equal($"Loopback CRM answered 200 with a batch answer that could not be read: part 1 is '{type[..100]}…', not application/http. Whether these ids were deleted is unknown.", result.Error!.Message);
    }

    [Fact]
    public async Task A_JSON_answer_where_parts_are_expected_is_a_502()
    {
        _answer = _ => (200, "application/json", """{"value": []}""");

        await using var result = await Client(10).BatchDeleteAsync(Account, ["61"]);

        Assert.Equal(502, result.StatusCode);
        Assert.Equal("Loopback CRM answered 200 with a batch answer that could not be read: its Content-Type is 'application/json; charset=utf-8', not multipart/mixed. Whether these ids were deleted is unknown.", result.Error!.Message);
    }

    [Fact]
    public async Task A_failed_batch_is_every_ids_failure()
    {
        _answer = _ => (400, "application/json", """{"message": "The batch request must have Content-Type multipart/mixed."}""");

        await using var result = await Client(10).BatchDeleteAsync(Account, ["71", "72"]);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("The batch request must have Content-Type multipart/mixed.", result.Error!.Message);
    }

    private static IntegratedAccount Account => LoopbackRuntime.Account("dataverse");

    private UnifiedContactsClient Client(int idsPerCall)
        => LoopbackRuntime.Client(_host.Url.ToString().TrimEnd('/') + BasePath, [new LoopbackMultipartBatch(new LoopbackProvider("dataverse"), idsPerCall)], o => o.MaxAttempts = 1);

    private async Task<(List<string> Deleted, List<JsonElement> Errors)> BatchAsync(IReadOnlyList<string> ids)
    {
        await using var result = await Client(10).BatchDeleteAsync(Account, ids);
        using var body = result.ParseJson();
        // An answer where every id failed has no result member.
        var deleted = body.RootElement.TryGetProperty("result", out var r) ? r.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList() : [];
        var errors = body.RootElement.TryGetProperty("errors", out var e) ? e.EnumerateArray().Select(x => x.Clone()).ToList() : [];
        return (deleted, errors);
    }

    private static (int, string, string) Answer(params IEnumerable<string> parts)
        => (200, "multipart/mixed; boundary=" + AnswerBoundary, string.Concat(parts) + "--" + AnswerBoundary + "--\r\n");

    private static string Part(string? contentId, string statusLine, string? body = null, string contentType = "application/json")
        => $"--{AnswerBoundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
            + (contentId is null ? "" : $"Content-ID: {contentId}\r\n")
            + $"\r\n{statusLine}\r\nOData-Version: 4.0\r\n"
            + (body is null ? "\r\n" : $"Content-Type: {contentType}\r\n\r\n{body}\r\n");

    public async Task InitializeAsync()
        => _host = await LoopbackHost.StartAsync(app => app.MapPost(BasePath + "/$batch", async (HttpRequest request) =>
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, request.Body);
            var parts = new List<ReceivedPart>();
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                parts.Add(new ReceivedPart(section.Headers!["Content-ID"].ToString(), section.ContentType!, await text.ReadToEndAsync()));
            }
            _received.Enqueue(new ReceivedBatch(boundary, request.Headers["Prefer"].ToString(), parts));
            var (status, contentType, body) = _answer(parts);
            return Results.Text(body, contentType, Encoding.UTF8, status);
        }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record ReceivedPart(string ContentId, string ContentType, string Content);

    private sealed record ReceivedBatch(string Boundary, string Prefer, IReadOnlyList<ReceivedPart> Parts);
}
