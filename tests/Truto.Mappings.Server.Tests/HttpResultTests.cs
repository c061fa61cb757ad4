using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests;

/// <summary>The server's own results say their status and content type (for OpenAPI and filters) and write what they say.</summary>
public sealed class HttpResultTests
{
    [Fact]
    public async Task The_error_envelope_result_exposes_its_status_and_writes_the_envelope()
    {
        var result = ErrorResponses.Result(new TrutoError(409, "Used before."));
        var context = Context();

        await result.ExecuteAsync(context);

        Assert.Equal(409, ((IStatusCodeHttpResult)result).StatusCode);
        Assert.Equal("application/json; charset=utf-8", ((IContentTypeHttpResult)result).ContentType);
        Assert.Equal(409, context.Response.StatusCode);
        var body = JsonNode.Parse(Body(context))!;
        Assert.Equal(409, (int)body["statusCode"]!);
        Assert.Equal("Conflict", (string?)body["error"]);
        Assert.Equal("Used before.", (string?)body["message"]);
    }

    [Fact]
    public async Task A_stored_answer_is_replayed_with_its_headers_and_marked()
    {
        var result = new StoredAnswerResult(new StoredAnswer("k", "h", 207, "application/json", """{"ratelimit-remaining":"9"}""", Encoding.UTF8.GetBytes("{\"result\":[]}"), DateTimeOffset.UnixEpoch));
        var context = Context();

        await result.ExecuteAsync(context);

        Assert.Equal(207, ((IStatusCodeHttpResult)result).StatusCode);
        Assert.Equal("application/json", ((IContentTypeHttpResult)result).ContentType);
        Assert.Equal(207, context.Response.StatusCode);
        Assert.Equal("true", context.Response.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal("9", context.Response.Headers["ratelimit-remaining"].ToString());
        Assert.Equal("{\"result\":[]}", Body(context));
    }

    private static DefaultHttpContext Context() => new() { Response = { Body = new MemoryStream() } };

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
