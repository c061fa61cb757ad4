using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// The loopback provider fixtures run against: answers keyed by method, path and body reach the
/// request they are for whatever the arrival order; unkeyed answers keep arrival order; a request
/// nothing answers is reported with the keys the answers have.
/// </summary>
public sealed class ReplayServerRoutingTests : IAsyncLifetime, IDisposable
{
    private ReplayServer _server = null!;
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Keyed_answers_reach_their_request_in_any_arrival_order()
    {
        _server.Load(ReplayServer.ReadAnswers(Answers("""
            [{"request": {"method": "DELETE", "path": "/v2/persons/1"}, "status": 200, "body": {"id": 1}},
             {"request": {"method": "DELETE", "path": "/v2/persons/2"}, "status": 404, "body": {"error": "gone"}}]
            """)));

        using var second = await _http.DeleteAsync(new Uri(_server.Url, "/v2/persons/2"));
        using var first = await _http.DeleteAsync(new Uri(_server.Url, "/v2/persons/1"));

        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Empty(_server.Unmatched);
        Assert.Empty(_server.Unused);
    }

    [Fact]
    public async Task A_key_names_the_path_with_its_query()
    {
        _server.Load(ReplayServer.ReadAnswers(Answers("""
            [{"request": {"method": "DELETE", "path": "/v1/persons?ids=1,2"}, "status": 200, "body": {}},
             {"request": {"method": "DELETE", "path": "/v1/persons?ids=3"}, "status": 500, "body": {}}]
            """)));

        using var answer = await _http.DeleteAsync(new Uri(_server.Url, "/v1/persons?ids=3"));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
    }

    [Fact]
    public async Task A_body_key_matches_a_JSON_equal_body_whatever_its_member_order_and_spacing()
    {
        _server.Load(ReplayServer.ReadAnswers(Answers("""
            [{"request": {"method": "POST", "path": "/v2", "body": {"query": "q", "variables": {"id": "1"}}}, "status": 200, "body": {"n": 1}},
             {"request": {"method": "POST", "path": "/v2", "body": {"query": "q", "variables": {"id": "2"}}}, "status": 200, "body": {"n": 2}}]
            """)));

        using var two = await _http.PostAsync(new Uri(_server.Url, "/v2"), Json("""{ "variables": {"id": "2"},  "query": "q" }"""));
        using var one = await _http.PostAsync(new Uri(_server.Url, "/v2"), Json("""{"query":"q","variables":{"id":"1"}}"""));

        Assert.Equal("""{"n":2}""", await two.Content.ReadAsStringAsync());
        Assert.Equal("""{"n":1}""", await one.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unkeyed_answers_keep_arrival_order_for_requests_no_key_matches()
    {
        _server.Load(ReplayServer.ReadAnswers(Answers("""
            [{"status": 201, "body": {}}, {"request": {"method": "GET", "path": "/keyed"}, "status": 202, "body": {}}, {"status": 203, "body": {}}]
            """)));

        using var a = await _http.GetAsync(new Uri(_server.Url, "/anything"));
        using var keyed = await _http.GetAsync(new Uri(_server.Url, "/keyed"));
        using var b = await _http.GetAsync(new Uri(_server.Url, "/else"));

        Assert.Equal([201, 202, 203], new[] { (int)a.StatusCode, (int)keyed.StatusCode, (int)b.StatusCode });
    }

    [Fact]
    public async Task A_request_no_answer_is_for_is_reported_with_the_request_and_the_keys()
    {
        _server.Load(ReplayServer.ReadAnswers(Answers("""
            [{"request": {"method": "DELETE", "path": "/contacts/1"}, "status": 204},
             {"request": {"method": "POST", "path": "/v2", "body": {"id": "2"}}, "status": 200, "body": {}}]
            """)));

        using var taken = await _http.DeleteAsync(new Uri(_server.Url, "/contacts/1"));
        using var again = await _http.DeleteAsync(new Uri(_server.Url, "/contacts/1"));
        using var other = await _http.PostAsync(new Uri(_server.Url, "/v2"), Json("""{"id": "3"}"""));

        Assert.Equal(599, (int)again.StatusCode);
        Assert.Equal(599, (int)other.StatusCode);
        Assert.Collection(_server.Unmatched,
            first => Assert.Equal("""No recorded answer for DELETE /contacts/1. The answers are for: DELETE /contacts/1 (already answered); POST /v2 {"id":"2"}.""", first),
            second => Assert.StartsWith("""No recorded answer for POST /v2 {"id": "3"}. The answers are for: """, second));
        Assert.Equal("""POST /v2 {"id":"2"}""", Assert.Single(_server.Unused).Request!.ToString());
    }

    [Fact]
    public void A_key_without_a_path_is_refused_when_read()
    {
        var error = Assert.Throws<InvalidDataException>(() => ReplayServer.ReadAnswers(Answers("""[{"request": {"method": "DELETE"}, "status": 204}]""")));

        Assert.Contains("no 'path'", error.Message, StringComparison.Ordinal);
    }

    private static JsonArray Answers(string json) => JsonNode.Parse(json)!.AsArray();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _http.Dispose();
}
