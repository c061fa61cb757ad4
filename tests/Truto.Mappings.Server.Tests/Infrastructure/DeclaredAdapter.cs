using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>A generated adapter with another <see cref="ProviderInfo"/> (its declarations); everything else is the generated adapter's.</summary>
internal sealed class DeclaredAdapter(ProviderAdapter generated, ProviderInfo info) : ProviderAdapter
{
    public override ProviderInfo Info => info;

    public override string BuildBaseUrl(AccountContext context) => generated.BuildBaseUrl(context);

    public override void Authenticate(ProviderRequest request, AccountContext context) => generated.Authenticate(request, context);

    public override void AddHeaders(ProviderRequest request, AccountContext context) => generated.AddHeaders(request, context);

    public override string? ReadErrorMessage(JsonElement body) => generated.ReadErrorMessage(body);

    public override string? ReadErrorCode(JsonElement body) => generated.ReadErrorCode(body);

    public override int? StatusForErrorCode(string code) => generated.StatusForErrorCode(code);

    public override bool IsRateLimitCode(string code) => generated.IsRateLimitCode(code);

    public override bool IsGoneCode(string code) => generated.IsGoneCode(code);

    public override RateLimitInfo ReadRateLimit(Func<string, string?> header, DateTimeOffset now) => generated.ReadRateLimit(header, now);
}
