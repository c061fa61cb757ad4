using System.Text.Json;
using System.Text.Json.Nodes;

namespace Truto.Mappings.Server.Jobs;

/// <summary>How job JSON is written: as the runtime writes its answers (provider text readable, no <c>\u0027</c>).</summary>
public static class JobJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The node as compact JSON text.</summary>
    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Options);
    }

    /// <summary>A time as every answer of the server writes it (UTC, milliseconds).</summary>
    public static string? Time(DateTimeOffset? time)
        => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
