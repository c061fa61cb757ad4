using Truto.Mappings.Server.Pages;

namespace Truto.Mappings.Server.Connect;

/// <summary>The connect flow's HTML answers: never cached, never sent as a referrer (the URL may hold a state or link token).</summary>
public static class ConnectPages
{
    /// <summary>A page that says what went wrong in the flow and what to do; no redirect follows.</summary>
    public static IResult Error(int status, string title, string message)
        => new PageResult(status, PageTemplates.Render("connect-error", new { title, message }));

    /// <summary>Where a flow ended (the sandbox's stand-in for an application's redirect URI).</summary>
    public static IResult Result(string? accountId, string? error)
    {
        // An empty string is true in a Scriban condition: absent values go in as null.
        var failed = string.IsNullOrEmpty(error) ? null : error;
        return new PageResult(failed is null ? 200 : 400, PageTemplates.Render("connect-result", new { account_id = accountId, error = failed }));
    }

    /// <summary>The API-key form of a provider.</summary>
    public static IResult Form(int status, ConnectFormModel model)
        => new PageResult(status, PageTemplates.Render("connect-form", model));

    private sealed class PageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "no-referrer";
            // No form-action: browsers apply it to the redirect that follows the form's post too, and
            // that goes to the application's (allowed) redirect URI, another origin.
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
