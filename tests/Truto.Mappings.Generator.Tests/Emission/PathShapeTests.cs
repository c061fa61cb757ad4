extern alias runtime;

using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using ContactWriter = runtime::Truto.Mappings.Formats.ContactWriter;
using FieldSelection = runtime::Truto.Mappings.Formats.FieldSelection;
using MappingInput = runtime::Truto.Mappings.Formats.MappingInput;
using ProviderOperation = runtime::Truto.Mappings.Adapters.ProviderOperation;

namespace Truto.Mappings.Generator.Tests.Emission;

/// <summary>
/// Generated mappings read paths of every shape the path language has — wildcards at the end and in
/// the middle, filters against literals, against the document and for existence, <c>first_of</c>,
/// <c>$</c> paths inside <c>each</c>, object members as children — as the language says, whatever
/// the emitter computes once or hoists out of loops. The adapter is compiled strictly and run.
/// </summary>
public sealed class PathShapeTests
{
    // The minimal provider, its delete response extended with one field per path shape.
    private static readonly string Provider = GeneratorHarness.MinimalProvider("shapes", "Shapes", """
              name: "$.people[*].name"
              first_name: "$.people[?@.role == 'lead'].first"
              last_name:
                first_of: ["$.people[5].last", "$.people[-1].last"]
              title: "$.people[?@.id == $.lead].title"
              etag: "$.byId[*].id"
              created_at:
                path: "$.people[0].since"
                transform: epoch_seconds
              owner:
                id: "$.people[?@.role].id"
              account:
                id: "$.lead"
                name: "$.orgs[?@.id == $.people[0].org].name"
              email_addresses:
                each: "$.people[*]"
                fields:
                  email: "@.email"
                  type: "$.kind"
              phone_numbers:
                each: "$.people[?@.role != 'lead']"
                fields:
                  number:
                    first_of: ["@.phone.e164", "@.phone.number", "@.phone"]
                  extension: "@.phone.ext"
                  type: "$.people[0].role"
              tags:
                each: "$.byId[*]"
                fields:
                  id: "@.id"
                  name: "@.labels[*]"
              urls:
                each: "$.people[0].links"
                fields:
                  url: "@.href"
                  type: "@.rel"
              addresses:
                each: "$.people[*].addresses[*]"
                fields:
                  city: "@.city"

        """);

    private const string Answer = """
        {"lead": "p2", "kind": "work",
         "people": [
           {"id": "p1", "name": "Ann", "role": "member", "first": "A1", "last": "L1", "since": 0, "org": "o2", "email": "a@x",
            "phone": {"number": "1"}, "links": [{"href": "h1", "rel": "r1"}], "addresses": [{"city": "C1"}]},
           {"id": "p2", "name": "Bob", "role": "lead", "first": "B1", "last": "L2", "title": "Boss", "email": "b@x", "phone": "2",
            "addresses": [{"city": "C2"}, {"city": "C3"}]},
           {"id": "p3", "name": "Cy", "last": "L3", "email": "c@x", "phone": {"e164": "+3", "number": "3", "ext": "9"}}],
         "orgs": [{"id": "o1", "name": "One"}, {"id": "o2", "name": "Two"}],
         "byId": {"t1": {"id": "t1", "labels": ["x", "y"]}, "t2": {"id": "t2"}}}
        """;

    [Fact]
    public void Every_path_shape_reads_what_the_path_language_selects()
    {
        var expected = JsonNode.Parse("""
            {"id": "c1", "name": "Ann", "first_name": "B1", "last_name": "L3", "title": "Boss", "etag": "t1",
             "created_at": "1970-01-01T00:00:00Z",
             "owner": {"id": "p1"},
             "account": {"id": "p2", "name": "Two"},
             "email_addresses": [{"email": "a@x", "type": "work"}, {"email": "b@x", "type": "work"}, {"email": "c@x", "type": "work"}],
             "phone_numbers": [{"number": "1", "extension": null, "type": "member"}, {"number": "+3", "extension": "9", "type": "member"}],
             "tags": [{"id": "t1", "name": "x"}, {"id": "t2", "name": null}],
             "urls": [{"url": "h1", "type": "r1"}],
             "addresses": [{"city": "C1"}, {"city": "C2"}, {"city": "C3"}]}
            """);

        var written = JsonNode.Parse(Map(CompileDelete(), Answer, "c1"));

        Assert.True(JsonNode.DeepEquals(expected, written), written!.ToJsonString());
    }

    [Fact]
    public void Missing_parts_of_every_path_shape_read_as_null_or_nothing()
    {
        var expected = JsonNode.Parse("""
            {"id": "c1", "name": null, "first_name": null, "last_name": null, "title": null, "etag": null, "created_at": null,
             "owner": {"id": null}, "account": {"id": null, "name": null},
             "email_addresses": [], "phone_numbers": [], "tags": [], "urls": [], "addresses": []}
            """);

        var written = JsonNode.Parse(Map(CompileDelete(), """{"people": "not a list", "byId": 3}""", "c1"));

        Assert.True(JsonNode.DeepEquals(expected, written), written!.ToJsonString());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"ok\"")]
    [InlineData("[1]")]
    [InlineData("null")]
    [InlineData("42")]
    public void An_answer_that_is_no_object_reads_as_null_or_nothing_in_every_path_shape(string answer)
    {
        var expected = JsonNode.Parse("""
            {"id": "c1", "name": null, "first_name": null, "last_name": null, "title": null, "etag": null, "created_at": null,
             "owner": {"id": null}, "account": {"id": null, "name": null},
             "email_addresses": [], "phone_numbers": [], "tags": [], "urls": [], "addresses": []}
            """);

        var written = JsonNode.Parse(Map(CompileDelete(), answer, "c1"));

        Assert.True(JsonNode.DeepEquals(expected, written), written!.ToJsonString());
    }

    private static string Map(ProviderOperation operation, string answer, string id)
    {
        using var document = JsonDocument.Parse(answer);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            operation.WriteContact(new ContactWriter(json, FieldSelection.All), new MappingInput(document.RootElement, document.RootElement, id));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ProviderOperation CompileDelete()
    {
        var driver = GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), new YamlFile(GeneratorHarness.Root + "providers/shapes.yaml", Provider)], GeneratorHarness.StrictParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Take(10)));
        var assembly = Assembly.Load(image.ToArray());
        var type = assembly.GetType("Truto.Mappings.Providers.ShapesAdapter+Contacts+Delete", throwOnError: true)!;
        return (ProviderOperation)type.GetProperty("Instance")!.GetValue(null)!;
    }
}
