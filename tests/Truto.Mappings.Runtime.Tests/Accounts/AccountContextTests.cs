using System.Text.Json;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.Runtime.Tests.Accounts;

/// <summary>An integrated account's context, read by dotted keys.</summary>
public sealed class AccountContextTests
{
    private static readonly AccountContext Context = AccountContext.Parse("""
        {
          "oauth": {"token": {"access_token": "s3cr3t-value", "expires_in": 3600, "scopes": ["a"], "empty": "", "none": null}},
          "instance_url": "https://x.example",
          "sandbox": true,
          "ratio": 0.5,
          "api.key": "flat",
          "api": {"key": "nested"},
          "blank": "   "
        }
        """);

    [Fact]
    public void A_dotted_key_reaches_into_nested_objects()
        => Assert.Equal("s3cr3t-value", Context.Find("oauth.token.access_token"));

    [Fact]
    public void A_plain_key_reads_a_top_level_member()
        => Assert.Equal("https://x.example", Context.Find("instance_url"));

    [Fact]
    public void A_flat_key_with_dots_in_its_name_wins_over_the_nested_path()
        => Assert.Equal("flat", Context.Find("api.key"));

    [Theory]
    [InlineData("oauth.token.expires_in", "3600")]
    [InlineData("sandbox", "true")]
    [InlineData("ratio", "0.5")]
    public void Numbers_and_booleans_read_as_their_json_text(string key, string text)
        => Assert.Equal(text, Context.Find(key));

    [Theory]
    [InlineData("missing")]
    [InlineData("oauth.missing")]
    [InlineData("oauth.token.access_token.deeper")]
    [InlineData("instance_url.host")]
    [InlineData("oauth.token.scopes.0")]
    [InlineData("OAUTH.token.access_token")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("oauth..token")]
    [InlineData("oauth.token.")]
    public void Missing_keys_and_paths_through_non_objects_are_null(string key)
        => Assert.Null(Context.Find(key));

    [Theory]
    [InlineData("oauth.token.empty")]
    [InlineData("oauth.token.none")]
    [InlineData("oauth.token")]
    [InlineData("oauth.token.scopes")]
    public void Empty_strings_null_objects_and_arrays_are_not_values(string key)
        => Assert.Null(Context.Find(key));

    [Fact]
    public void White_space_is_a_value_as_it_is()
        => Assert.Equal("   ", Context.Find("blank"));

    [Fact]
    public void Require_gives_the_value()
        => Assert.Equal("s3cr3t-value", Context.Require("oauth.token.access_token"));

    [Theory]
    [InlineData("s3cr3t\r\nX-Injected: yes")]
    [InlineData("s3cr3t\n")]
    [InlineData("s3\u0000cr3t")]
    [InlineData("s3cr3t\u007F")]
    [InlineData("\tindented s3cr3t")]
    public void Require_of_a_value_with_control_characters_names_the_key_and_no_value(string value)
    {
        var context = AccountContext.Parse(System.Text.Json.JsonSerializer.Serialize(new { api_key = value }));

        var exception = Assert.Throws<InvalidContextValueException>(() => context.Require("api_key"));

        Assert.Equal("api_key", exception.Key);
        Assert.Contains("control characters", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_still_reads_a_value_with_control_characters_as_it_is()
        => Assert.Equal("a\nb", AccountContext.Parse("""{"note": "a\nb"}""").Find("note"));

    [Fact]
    public void Require_accepts_printable_unicode_and_spaces()
        => Assert.Equal("Zoë Ümlaut 東京 key", AccountContext.Parse("""{"k": "Zoë Ümlaut 東京 key"}""").Require("k"));

    [Fact]
    public void Require_of_a_missing_key_names_the_key_and_no_value()
    {
        var exception = Assert.Throws<MissingContextKeyException>(() => Context.Require("oauth.token.refresh_token"));

        Assert.Equal("oauth.token.refresh_token", exception.Key);
        Assert.Contains("'oauth.token.refresh_token'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_lists_the_absent_keys_in_order()
        => Assert.Equal(["b.c", "a.x"], Context.Missing(["instance_url", "b.c", "oauth.token.access_token", "a.x"]));

    [Fact]
    public void Missing_of_present_keys_is_empty()
        => Assert.Empty(Context.Missing(["instance_url", "sandbox"]));

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("1")]
    public void A_context_that_is_not_an_object_is_empty(string json)
        => Assert.Null(AccountContext.Parse(json).Find("a"));

    [Fact]
    public void Parse_rejects_text_that_is_not_json()
        => Assert.ThrowsAny<JsonException>(() => AccountContext.Parse("{oauth"));

    [Fact]
    public void A_context_outlives_the_document_it_came_from()
    {
        AccountContext context;
        using (var document = JsonDocument.Parse("""{"k": "v"}"""))
        {
            context = new AccountContext(document.RootElement);
        }

        Assert.Equal("v", context.Find("k"));
    }

    [Fact]
    public void Find_requires_a_key()
        => Assert.Throws<ArgumentNullException>(() => Context.Find(null!));

    [Fact]
    public void The_exception_constructors_keep_a_key()
    {
        Assert.Equal("(unknown)", new MissingContextKeyException().Key);
        var inner = new InvalidOperationException();
        var withCause = new MissingContextKeyException("message", inner);
        Assert.Equal("(unknown)", withCause.Key);
        Assert.Same(inner, withCause.InnerException);
    }

    [Fact]
    public void RequireFirst_takes_the_first_key_present_skipping_absent_null_and_empty_ones()
    {
        Assert.Equal("s3cr3t-value", Context.RequireFirst(null, "missing", "oauth.token.none", "oauth.token.empty", "oauth.token.access_token", "instance_url"));
        Assert.Equal("https://x.example", Context.RequireFirst(null, "instance_url", "oauth.token.access_token"));
    }

    [Fact]
    public void RequireFirst_falls_back_to_the_default_when_no_key_is_present()
        => Assert.Equal("us", Context.RequireFirst("us", "missing", "oauth.token.empty"));

    [Fact]
    public void RequireFirst_without_a_default_names_every_key_when_none_is_present()
    {
        var missing = Assert.Throws<MissingContextKeyException>(() => Context.RequireFirst(null, "oauth.token.refresh_token", "api_key"));

        Assert.Equal(["oauth.token.refresh_token", "api_key"], missing.Keys);
        Assert.Equal("oauth.token.refresh_token", missing.Key);
        Assert.Equal("The integrated account's context has none of 'oauth.token.refresh_token', 'api_key'; this integration needs one of them.", missing.Message);
    }

    [Fact]
    public void RequireFirst_refuses_a_present_value_with_control_characters_instead_of_skipping_it()
        => Assert.Throws<InvalidContextValueException>(() => AccountContext.Parse("""{"a": "x\ny", "b": "fine"}""").RequireFirst(null, "a", "b"));

    [Theory]
    [InlineData("""{"n": 42}""", "42")]
    [InlineData("""{"n": -1.5e3}""", "-1.5e3")]
    [InlineData("""{"n": "42"}""", "42")]
    [InlineData("""{"n": "", "m": 7}""", "7")]
    [InlineData("""{"m": "1e3"}""", "1e3")]
    public void RequireNumber_gives_a_stored_number_or_a_text_that_is_one_as_written(string json, string expected)
        => Assert.Equal(expected, AccountContext.Parse(json).RequireNumber(null, "n", "m"));

    [Theory]
    [InlineData("""{"n": "007"}""")]
    [InlineData("""{"n": "forty-two"}""")]
    [InlineData("""{"n": true, "m": 7}""")]
    [InlineData("""{"n": " 42"}""")]
    public void RequireNumber_refuses_a_present_value_that_is_no_number_naming_its_key(string json)
    {
        var refused = Assert.Throws<NonNumericContextValueException>(() => AccountContext.Parse(json).RequireNumber(null, "n", "m"));

        Assert.Equal("n", refused.Key);
        Assert.DoesNotContain("forty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireNumber_uses_the_default_when_no_key_is_present_and_names_every_key_without_one()
    {
        Assert.Equal("100", Context.RequireNumber("100", "page_size"));
        Assert.Equal(["page_size", "limit"], Assert.Throws<MissingContextKeyException>(() => Context.RequireNumber(null, "page_size", "limit")).Keys);
    }
}
