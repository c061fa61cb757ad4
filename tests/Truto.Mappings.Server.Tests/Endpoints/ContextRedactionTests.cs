using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Server.Endpoints;

namespace Truto.Mappings.Server.Tests.Endpoints;

/// <summary>Account reads show only declared non-secret keys; everything else is redacted whole, and URLs lose their user info.</summary>
public sealed class ContextRedactionTests
{
    private static readonly ContextKey[] Declared =
    [
        new("instance_url", ContextValueType.Text, Secret: false, "Instance URL", null, Required: true, new ContextShape(ContextShapeKind.HttpsOrigin, [])),
        new("oauth.token.access_token", ContextValueType.Text, Secret: true, "Access token", null, Required: true, Shape: null),
        new("oauth.scope", ContextValueType.Text, Secret: false, "Scope", null, Required: false, Shape: null),
        new("api_key", ContextValueType.Text, Secret: true, "API key", null, Required: false, Shape: null),
        new("user_email", ContextValueType.Text, Secret: false, "User e-mail", null, Required: false, Shape: null),
        new("page_size", ContextValueType.Number, Secret: false, "Page size", null, Required: false, Shape: null),
    ];

    [Fact]
    public void Declared_non_secret_keys_are_shown_at_any_depth_and_secret_ones_redacted()
    {
        var shown = Redact("""
            {"instance_url": "https://acme.my.salesforce.com", "user_email": "me@example.com", "page_size": 50,
             "oauth": {"scope": "api", "token": {"access_token": "at-1", "refresh_token": "rt-1"}}, "api_key": "k-1"}
            """);

        Assert.Equal("""
            {"instance_url":"https://acme.my.salesforce.com","user_email":"me@example.com","page_size":50,"oauth":{"scope":"api","token":"[redacted]"},"api_key":"[redacted]"}
            """.Trim(), shown);
    }

    [Fact]
    public void Undeclared_keys_are_redacted_whole_whatever_their_name_or_value()
    {
        var shown = Redact("""{"nickname": "plain", "settings": {"colour": "blue"}, "list": [1, 2], "nothing": null}""");

        Assert.Equal("""{"nickname":"[redacted]","settings":"[redacted]","list":"[redacted]","nothing":"[redacted]"}""", shown);
    }

    [Fact]
    public void An_object_under_a_secret_key_is_redacted_whole()
        => Assert.Equal("""{"api_key":"[redacted]"}""", Redact("""{"api_key": {"user_email": "x", "value": "k-1"}}"""));

    [Fact]
    public void A_flat_dotted_key_is_judged_by_its_declared_name()
        => Assert.Equal("""{"oauth.token.access_token":"[redacted]","oauth.scope":"api"}""", Redact("""{"oauth.token.access_token": "at-1", "oauth.scope": "api"}"""));

    [Fact]
    public void Urls_shown_lose_their_user_info()
        => Assert.Equal(
            """{"instance_url":"https://acme.my.salesforce.com/","base_url":"http://127.0.0.1:9001/sim"}""",
            Redact("""{"instance_url": "https://admin:hunter2@acme.my.salesforce.com", "base_url": "http://u:p@127.0.0.1:9001/sim"}"""));

    [Fact]
    public void A_provider_that_declares_nothing_shows_only_base_url()
        => Assert.Equal("""{"api_key":"[redacted]","base_url":"https://proxy.example/x"}""",
            ContextRedaction.Redact(JsonNode.Parse("""{"api_key": "k", "base_url": "https://proxy.example/x"}"""), []).ToJsonString());

    private static string Redact(string context) => ContextRedaction.Redact(JsonNode.Parse(context), Declared).ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
