using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Runtime.Tests.Accounts;

/// <summary>A context against its provider's declared keys: control characters, required keys, types, URL shapes.</summary>
public sealed class ContextValidatorTests
{
    private static readonly ContextKey[] Declared =
    [
        new("api_key", ContextValueType.Text, Secret: true, "API key", null, Required: true, Shape: null),
        new("oauth.token.access_token", ContextValueType.Text, Secret: true, "Access token", null, Required: false, Shape: null),
        new("company_domain", ContextValueType.Text, Secret: false, "Company domain", null, Required: false, new ContextShape(ContextShapeKind.DnsLabel, [])),
        new("region", ContextValueType.Text, Secret: false, "Region", null, Required: false, new ContextShape(ContextShapeKind.OneOf, ["eu-central", "us-east"])),
        new("instance_url", ContextValueType.Text, Secret: false, "Instance URL", null, Required: false, new ContextShape(ContextShapeKind.HttpsOrigin, [])),
        new("space_id", ContextValueType.Text, Secret: false, "Space ID", null, Required: false, new ContextShape(ContextShapeKind.PathSegment, [])),
        new("page_size", ContextValueType.Number, Secret: false, "Page size", null, Required: false, Shape: null),
        new("sandbox", ContextValueType.Boolean, Secret: false, "Sandbox", null, Required: false, Shape: null),
    ];

    [Fact]
    public void A_context_that_conforms_passes_and_undeclared_keys_are_left_alone()
        => Assert.Null(Validate("""
            {"api_key": "k", "oauth": {"token": {"access_token": "t"}}, "company_domain": "acme-1", "region": "eu-central",
             "instance_url": "https://acme.my.salesforce.com", "space_id": "nv3_Pipeliner.Dev~1", "page_size": 100, "sandbox": false, "anything": {"else": [1, "x"]}}
            """));

    [Theory]
    [InlineData("""{"api_key": "k\r\nX-Injected: 1"}""", "context.api_key")]
    [InlineData("""{"api_key": "k\n"}""", "context.api_key")]
    [InlineData("""{"api_key": "k", "oauth": {"token": {"access_token": "t\u0000"}}}""", "context.oauth.token.access_token")]
    [InlineData("""{"api_key": "k", "notes": ["fine", "tab\there"]}""", "context.notes[1]")]
    [InlineData("""{"api_key": "k", "undeclared": "del\u007F"}""", "context.undeclared")]
    public void A_control_character_in_any_string_value_is_a_400_naming_its_key(string context, string field)
    {
        var error = Validate(context)!;

        Assert.Equal((400, field), (error.StatusCode, Field(error)));
        Assert.DoesNotContain("X-Injected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"api_key": ""}""")]
    [InlineData("""{"api_key": null}""")]
    public void A_required_key_that_is_missing_or_empty_is_a_400_naming_it(string context)
        => Assert.Equal("context.api_key", Field(Validate(context)!));

    [Theory]
    [InlineData("""{"api_key": 5}""", "context.api_key", "must be a string")]
    [InlineData("""{"api_key": "k", "page_size": "100"}""", "context.page_size", "must be a number")]
    [InlineData("""{"api_key": "k", "sandbox": "yes"}""", "context.sandbox", "must be true or false")]
    [InlineData("""{"api_key": "k", "company_domain": {"x": 1}}""", "context.company_domain", "must be a string")]
    public void A_value_of_the_wrong_type_is_a_400_naming_it(string context, string field, string reason)
    {
        var error = Validate(context)!;

        Assert.Equal(field, Field(error));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("company_domain", "127.0.0.1:9103/x#")]
    [InlineData("company_domain", "acme.evil.example")]
    [InlineData("company_domain", "-acme")]
    [InlineData("company_domain", "a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("region", "127.0.0.1:9103/y?")]
    [InlineData("region", "EU-CENTRAL")]
    [InlineData("instance_url", "http://acme.my.salesforce.com")]
    [InlineData("instance_url", "https://acme.my.salesforce.com/path")]
    [InlineData("instance_url", "https://acme.my.salesforce.com?x")]
    [InlineData("instance_url", "https://user@acme.my.salesforce.com")]
    [InlineData("instance_url", "acme.my.salesforce.com")]
    [InlineData("space_id", "..")]
    [InlineData("space_id", ".")]
    [InlineData("space_id", "nv3/../../admin")]
    [InlineData("space_id", "nv3%2F..")]
    [InlineData("space_id", "nv3?x=1")]
    public void A_url_forming_value_of_the_wrong_shape_is_a_400_naming_it(string key, string value)
    {
        var context = JsonSerializer.Serialize(new Dictionary<string, string> { ["api_key"] = "k", [key] = value });

        Assert.Equal("context." + key, Field(Validate(context)!));
    }

    [Fact]
    public void An_http_origin_is_an_https_origins_shape_only_when_it_is_allowed()
    {
        const string context = """{"api_key": "k", "instance_url": "http://127.0.0.1:9001"}""";
        var options = new TrutoMappingsOptions();
        options.Egress.AllowedBaseUrls.Add("http://127.0.0.1:9001");

        Assert.NotNull(Validate(context));
        Assert.Null(ContextValidator.Validate(Declared, Parse(context), new EgressPolicy(options), "Test CRM"));
    }

    [Fact]
    public void A_value_under_a_shape_the_runtime_does_not_know_is_refused_not_waved_through()
    {
        ContextKey[] declared = [new("tenant", ContextValueType.Text, Secret: false, "Tenant", null, Required: true, new ContextShape((ContextShapeKind)99, []))];

        var error = ContextValidator.Validate(declared, Parse("""{"tenant": "acme"}"""), new EgressPolicy(new TrutoMappingsOptions()), "Test CRM");

        Assert.Equal("context.tenant", Field(error!));
    }

    [Fact]
    public void A_context_that_is_not_an_object_is_a_400_naming_context()
        => Assert.Equal("context", Field(Validate("[]")!));

    [Fact]
    public void An_account_holding_one_key_of_a_fallback_chain_passes()
    {
        IReadOnlyList<IReadOnlyList<string>> choices = [["oauth.token.access_token", "bearer_key"]];

        Assert.Null(ContextValidator.Validate(Declared, Parse("""{"api_key": "k", "bearer_key": "b"}"""), new EgressPolicy(new TrutoMappingsOptions()), "Test CRM", choices));
        Assert.Null(ContextValidator.Validate(Declared, Parse("""{"api_key": "k", "oauth": {"token": {"access_token": "t"}}}"""), new EgressPolicy(new TrutoMappingsOptions()), "Test CRM", choices));
    }

    [Theory]
    [InlineData("""{"api_key": "k"}""")]
    [InlineData("""{"api_key": "k", "bearer_key": "", "oauth": {"token": {"access_token": null}}}""")]
    public void An_account_holding_no_key_of_a_fallback_chain_is_a_400_naming_every_key(string context)
    {
        IReadOnlyList<IReadOnlyList<string>> choices = [["oauth.token.access_token", "bearer_key"]];

        var error = ContextValidator.Validate(Declared, Parse(context), new EgressPolicy(new TrutoMappingsOptions()), "Test CRM", choices)!;

        Assert.Equal((400, "context.oauth.token.access_token"), (error.StatusCode, Field(error)));
        Assert.Equal("The context has none of 'oauth.token.access_token' (Access token), 'bearer_key'; Test CRM needs one of them.", error.Message);
    }

    private static TrutoError? Validate(string context)
        => ContextValidator.Validate(Declared, Parse(context), new EgressPolicy(new TrutoMappingsOptions()), "Test CRM");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string? Field(TrutoError error)
        => error.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString();
}
