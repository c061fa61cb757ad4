namespace Truto.Mappings.Telemetry;

/// <summary>
/// Label names (OpenTelemetry semantic-convention style: the standard <c>http.*</c> and
/// <c>error.type</c> where one fits, <c>truto.*</c> otherwise) and their boxed values.
/// </summary>
internal static class TelemetryTags
{
    public const string Integration = "truto.integration";
    public const string Method = "truto.method";
    public const string Outcome = "truto.outcome";
    public const string RetryReason = "truto.retry.reason";
    public const string StatusCode = "http.response.status_code";
    public const string RequestMethod = "http.request.method";
    public const string ErrorType = "error.type";
    public const string Attempts = "truto.attempts";

    private static readonly object[] BoxedStatuses = Enumerable.Range(0, 600).Select(s => (object)s).ToArray();

    /// <summary>
    /// The status as a tag value without a new box per request (a <c>TagList</c> holds objects):
    /// every HTTP status is boxed once.
    /// </summary>
    public static object Status(int status)
        => (uint)status < (uint)BoxedStatuses.Length ? BoxedStatuses[status] : status;

    /// <summary>A status as text (<c>error.type</c> of a 5xx span, a retry's reason); allocates for the rare non-standard one.</summary>
    public static string StatusText(int status)
        => (uint)status < (uint)StatusTexts.Length ? StatusTexts[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] StatusTexts = Enumerable.Range(0, 600).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
