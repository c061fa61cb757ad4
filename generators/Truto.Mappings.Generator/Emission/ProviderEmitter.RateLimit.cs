using System.Collections.Generic;

namespace Truto.Mappings.Generator.Emission;

/// <summary>The rate-limit headers (or one header and a pattern) read into <c>RateLimitInfo</c>.</summary>
internal sealed partial class ProviderEmitter
{
    private void WriteRateLimit()
    {
        if (_provider.RateLimit is not { } rate)
        {
            return;
        }
        var format = Member(rate.ResetFormat);
        var parts = new List<string>();
        if (rate.PatternHeader is not null && rate.Pattern is not null)
        {
            _code.Line();
            _code.Line("private static readonly Regex RateLimitPattern =");
            _code.Line($"    new({CodeWriter.Literal(rate.Pattern)}, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));");
            parts.Add($"RateLimitInfo.FromPattern(header({CodeWriter.Literal(rate.PatternHeader)}), RateLimitPattern, {format}, now)");
        }
        if (rate.LimitHeader is not null || rate.RemainingHeader is not null || rate.ResetHeader is not null)
        {
            string Header(string? name) => name is null ? "null" : $"header({CodeWriter.Literal(name)})";
            parts.Add($"RateLimitInfo.FromHeaders({Header(rate.LimitHeader)}, {Header(rate.RemainingHeader)}, {Header(rate.ResetHeader)}, {format}, now)");
        }
        if (parts.Count == 0)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open("public override RateLimitInfo ReadRateLimit(global::System.Func<string, string?> header, DateTimeOffset now)");
        _code.Line("ArgumentNullException.ThrowIfNull(header);");
        _code.Line($"return {string.Join(".Or(", parts)}{new string(')', parts.Count - 1)};");
        _code.Close();
    }
}
