using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Dataverse Web API: delete a contact row (<c>DELETE /contacts(&lt;guid&gt;)</c>, 204), OData
/// <c>{"error": {"code", "message"}}</c> errors with the platform's hexadecimal codes, an empty 401
/// (as Entra-protected APIs answer a bad token), and the service protection 429. Tokens come from
/// Microsoft Entra ID's v2.0 endpoint (<see cref="EntraOAuthDialect"/>). <c>POST /$batch</c>
/// takes a <c>multipart/mixed</c> body of <c>application/http</c> requests and answers
/// <c>multipart/mixed</c>: per part <c>HTTP/1.1 204 No Content</c> or <c>HTTP/1.1 404 Not Found</c>
/// with the JSON error, its <c>Content-ID</c> echoed; without <c>Prefer: odata.continue-on-error</c>
/// it stops at the first failing part, as Dataverse does. A body it cannot read is a 400.
/// </summary>
internal sealed partial class Dynamics365Simulator() : ProviderSimulator("dynamics365")
{
    private const string Token = "sandbox-dynamics365-token";
    private const int WindowLimit = 6000;

    protected override JsonObject Credentials() => new() { ["instance_url"] = "https://sandbox.crm.dynamics.com", ["oauth"] = OAuth(Token) };

    /// <summary>Entra ID v2.0: 60-90 minute access tokens, a new refresh token on every refresh (the old one not revoked).</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("dynamics365", new EntraOAuthDialect());

    public override string DeleteRequest => "DELETE /contacts({id})";

    /// <inheritdoc />
    public override string UnknownId => "8f14e45f-ceea-467e-a9c5-6f2b1b0c9d44";

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Empty(401);

    // 0x80072322: "Number of requests exceeded the limit" (service protection; the code is from
    // Microsoft's API limits page as remembered, unverified here).
    protected override IResult RateLimited(int retryAfterSeconds)
        => Json(429, Error("0x80072322", $"Number of requests exceeded the limit of {WindowLimit} over time window of 300 seconds."));

    protected override IResult NotFound(string what) => Json(404, Error("0x80040217", $"contact With Id = {what} Does Not Exist"));

    protected override IResult ServerError(int status) => Json(status, Error("0x80040216", "An unexpected error occurred."));

    // Only the remaining count of the burst window is sent (Microsoft's service protection page).
    public override bool AnnouncesRemaining => true;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => response.Headers["x-ms-ratelimit-burst-remaining-xrm-requests"] = (exhausted ? 0 : Math.Max(0, WindowLimit - 1 - Served)).ToString(CultureInfo.InvariantCulture);

    protected override string NewId(int sequence) => new Guid(sequence, 0x0d36, 0x4f0b, [0xa3, 0x6e, 0x00, 0x0d, 0x3a, 0x1b, 0x2c, 0x3d]).ToString();

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/contacts({id})", (string id) => Delete(id) ? Empty(204) : NotFound(id));
        routes.MapPost("/$batch", Batch);
    }

    /// <summary>The requests of a batch body (method and path after this simulator's base), or why the body is refused.</summary>
    private async Task<IResult> Batch(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/mixed", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return BadBatch("The batch request must have Content-Type multipart/mixed with a boundary.");
        }
        var continueOnError = request.Headers["Prefer"].ToString().Contains("odata.continue-on-error", StringComparison.OrdinalIgnoreCase);
        var reader = new MultipartReader(boundary, request.Body);
        var answer = new StringBuilder();
        var answerBoundary = "batchresponse_" + Guid.NewGuid().ToString();
        try
        {
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
            {
                if (section.ContentType is not { } partType || !partType.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
                {
                    return BadBatch("Each batch part must have Content-Type application/http.");
                }
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var requestLine = RequestLine().Match(await text.ReadLineAsync(request.HttpContext.RequestAborted) ?? "");
                if (!requestLine.Success)
                {
                    return BadBatch("A batch part does not start with a request line ('DELETE /api/data/v9.2/contacts(<id>) HTTP/1.1').");
                }
                var contentId = section.Headers?.TryGetValue("Content-ID", out var id) == true ? id.ToString() : null;
                var deleted = Part(requestLine.Groups["method"].Value, requestLine.Groups["path"].Value, out var status, out var error);
                answer.Append("--").Append(answerBoundary).Append("\r\n")
                    .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
                if (contentId is not null)
                {
                    answer.Append("Content-ID: ").Append(contentId).Append("\r\n");
                }
                answer.Append("\r\n").Append(status);
                if (error is null)
                {
                    answer.Append("\r\nOData-Version: 4.0\r\n\r\n\r\n");
                }
                else
                {
                    answer.Append("\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n").Append(error.ToJsonString()).Append("\r\n");
                }
                if (!deleted && !continueOnError)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            return BadBatch("The batch request body is not a complete multipart/mixed body.");
        }
        answer.Append("--").Append(answerBoundary).Append("--\r\n");
        return Results.Text(answer.ToString(), "multipart/mixed; boundary=" + answerBoundary, Encoding.UTF8, 200);
    }

    /// <summary>Runs one part's request: a delete of a contact row, else the OData error for a resource it does not have.</summary>
    private bool Part(string method, string path, out string status, out JsonObject? error)
    {
        var marker = "/" + Name + "/";
        var start = path.IndexOf(marker, StringComparison.Ordinal);
        var relative = start < 0 ? path : path[(start + marker.Length - 1)..];
        var row = ContactPath().Match(relative);
        if (method != "DELETE" || !row.Success)
        {
            (status, error) = ("HTTP/1.1 404 Not Found", Error("0x80060888", $"Resource not found for the segment '{relative}'."));
            return false;
        }
        var id = Uri.UnescapeDataString(row.Groups["id"].Value);
        if (Delete(id))
        {
            (status, error) = ("HTTP/1.1 204 No Content", null);
            return true;
        }
        (status, error) = ("HTTP/1.1 404 Not Found", Error("0x80040217", $"contact With Id = {id} Does Not Exist"));
        return false;
    }

    private static IResult BadBatch(string message) => Json(400, Error("0x80048d19", message));

    [GeneratedRegex(@"\A(?<method>[A-Z]+) (?<path>\S+) HTTP/1\.1\z")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\A/contacts\((?<id>[^()/]+)\)\z")]
    private static partial Regex ContactPath();

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
