using System.Globalization;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>The provider request: method, path, query, headers and the JSON body, written with <c>Utf8JsonWriter</c>.</summary>
internal sealed partial class ProviderEmitter
{
    /// <summary>
    /// The runtime's number writer, named in full where a body writes <c>| number</c>: few adapters
    /// do, and an alias would add a line to every adapter file.
    /// </summary>
    private const string Numbers = "global::Truto.Mappings.Requests.RequestNumbers";

    private void WriteBuildRequest(RequestSpec request)
    {
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Open($"public override void BuildRequest(ProviderRequest request, RequestValues values)");
        _code.Line("ArgumentNullException.ThrowIfNull(request);");
        _code.Line("ArgumentNullException.ThrowIfNull(values);");
        _code.Line($"request.Method = {CodeWriter.Literal(request.Method)};");
        _code.Line($"request.Path = {Text(request.Path, TextPlace.Path, "values.Context", "values.Id")};");
        foreach (var query in request.Query)
        {
            _code.Line($"request.Query.Add(new({CodeWriter.Literal(query.Name)}, {Text(query.Value, TextPlace.Plain, "values.Context", "values.Id")}));");
        }
        foreach (var header in request.Headers)
        {
            _code.Line($"request.Headers.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "values.Context", "values.Id")}));");
        }
        if (request.Body is { } body)
        {
            _code.Line("var buffer = new ByteBuffer();");
            _code.Open("using (var json = new Utf8JsonWriter(buffer))");
            WriteBodyValue(body, "values.Id", 0);
            _code.Close();
            _code.Line("request.Body = buffer.WrittenMemory;");
        }
        if (request.Parts is { } parts)
        {
            WriteParts(parts);
        }
        _code.Close();
    }

    /// <summary>A multipart/mixed body: one part per id, its path encoded as any path; the runtime writes the body.</summary>
    private void WriteParts(PartSpec parts)
    {
        _code.Open("foreach (var partId in values.Ids)");
        var add = $"request.AddPart({CodeWriter.Literal(parts.Method)}, {Text(parts.Path, TextPlace.Path, "values.Context", "partId")})";
        if (parts.Headers.Count == 0)
        {
            _code.Line(add + ";");
        }
        else
        {
            _code.Line($"var part = {add};");
            foreach (var header in parts.Headers)
            {
                _code.Line($"part.Headers.Add(new({CodeWriter.Literal(header.Name)}, {Text(header.Value, TextPlace.Plain, "values.Context", "partId")}));");
            }
        }
        _code.Close();
    }

    private void WriteBodyValue(BodyNode node, string id, int depth)
    {
        switch (node.Kind)
        {
            case BodyKind.Object:
                _code.Line("json.WriteStartObject();");
                foreach (var property in node.Properties)
                {
                    _code.Line($"json.WritePropertyName({CodeWriter.Utf8Literal(property.Name)});");
                    WriteBodyValue(property.Value, id, depth);
                }
                _code.Line("json.WriteEndObject();");
                break;
            case BodyKind.Array:
                _code.Line("json.WriteStartArray();");
                foreach (var item in node.Items)
                {
                    WriteBodyValue(item, id, depth);
                }
                _code.Line("json.WriteEndArray();");
                break;
            case BodyKind.EachId:
                var variable = "id" + depth.ToString(CultureInfo.InvariantCulture);
                _code.Line("json.WriteStartArray();");
                _code.Open($"foreach (var {variable} in values.Ids)");
                WriteBodyValue(node.Items[0], variable, depth + 1);
                _code.Close();
                _code.Line("json.WriteEndArray();");
                break;
            case BodyKind.Literal:
                _code.Line(node.Literal switch
                {
                    "null" => "json.WriteNullValue();",
                    "true" => "json.WriteBooleanValue(true);",
                    "false" => "json.WriteBooleanValue(false);",
                    _ => $"json.WriteRawValue({CodeWriter.Literal(node.Literal)});",
                });
                break;
            default:
                var template = node.Template!;
                var whole = template.IsSinglePlaceholder ? template.Parts[0].Placeholder : null;
                if (whole is { IsList: true })
                {
                    _code.Line("json.WriteStartArray();");
                    _code.Open("foreach (var each in values.Ids)");
                    _code.Line(whole.AsNumber ? $"{Numbers}.Write(json, each);" : "json.WriteStringValue(each);");
                    _code.Close();
                    _code.Line("json.WriteEndArray();");
                }
                else if (whole is { AsNumber: true })
                {
                    _code.Line($"{Numbers}.Write(json, {Text(template, TextPlace.Plain, "values.Context", id)});");
                }
                else
                {
                    _code.Line($"json.WriteStringValue({Text(template, TextPlace.Plain, "values.Context", id)});");
                }
                break;
        }
    }
}
