using Truto.Mappings.Coverage;
using Truto.Mappings.Server.Docs;
using Truto.Mappings.Server.Pages;

namespace Truto.Mappings.Server.Tests.Pages;

/// <summary>The Scriban pages: every printed value is HTML-escaped, the template's own markup is not.</summary>
public sealed class PageTemplatesTests
{
    [Fact]
    public void Values_printed_by_a_template_are_html_escaped()
    {
        var html = PageTemplates.Render("docs", new
        {
            title = "<script>alert(1)</script>",
            description = "a \"quoted\" & <b>bold</b> text",
            sections = new[] { new DocsSection("response-body", "Response Body", [new FieldCoverage("id\"><img>", "string", "x", false, [])]) },
            slug = "delete",
        });

        Assert.Contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p>a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; text</p>", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"id&quot;&gt;&lt;img&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"response-body\"><h2>Response Body</h2>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_page_is_an_embedded_template()
    {
        Assert.Contains("docs", PageTemplates.Names);
    }
}
