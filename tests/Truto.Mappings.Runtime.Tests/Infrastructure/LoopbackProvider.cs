using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// A provider written by hand for loopback tests of the transport: any name, optional declared
/// request-rate windows, a bearer token as its auth and the message at <c>$.message</c>. Its calls go to
/// the replay server through <c>ProviderBaseUrls</c> (<see cref="LoopbackRuntime"/>).
/// </summary>
internal sealed class LoopbackProvider(string name, params RequestRate[] rates) : ProviderAdapter
{
    public const string Token = "loopback-secret-token";

    public override ProviderInfo Info { get; } = new(name, "Loopback CRM", null, [], []) { Rates = rates };

    public override string BuildBaseUrl(AccountContext context) => "https://loopback.invalid";

    public override void Authenticate(ProviderRequest request, AccountContext context)
        => request.SecretHeaders.Add(new("Authorization", "Bearer " + Token));

    public override string? ReadErrorMessage(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "message"u8));
}
