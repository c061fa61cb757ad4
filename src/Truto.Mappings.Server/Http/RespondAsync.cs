namespace Truto.Mappings.Server.Http;

/// <summary>The <c>Prefer: respond-async</c> request preference (RFC 7240) that turns a batch-delete into a job.</summary>
public static class RespondAsync
{
    public const string PreferHeader = "Prefer";

    public const string AppliedHeader = "Preference-Applied";

    public const string Preference = "respond-async";

    /// <summary>True when one of the request's <c>Prefer</c> preferences is <c>respond-async</c> (case-insensitive, parameters ignored).</summary>
    public static bool IsRequested(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var value in request.Headers[PreferHeader])
        {
            foreach (var preference in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split([';', '='], 2)[0].Trim();
                if (token.Equals(Preference, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
