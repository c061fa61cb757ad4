namespace Truto.Mappings.Schema;

/// <summary>A field of a unified resource, generated from the schema YAML.</summary>
/// <param name="Name">The JSON name (<c>email_addresses</c>).</param>
/// <param name="Type">The field's type.</param>
/// <param name="Description">What the field means.</param>
/// <param name="Required">True when every object has it.</param>
/// <param name="References">What the field refers to (<c>Accounts → id</c>), if anything.</param>
/// <param name="Properties">The fields of an object, or of each item of an array.</param>
public sealed record UnifiedField(
    string Name,
    UnifiedFieldType Type,
    string Description,
    bool Required,
    string? References,
    IReadOnlyList<UnifiedField> Properties)
{
    /// <summary>The type as the reference pages print it (<c>string · date-time</c>, <c>object[]</c>).</summary>
    public string DisplayType => Type switch
    {
        UnifiedFieldType.DateTime => "string · date-time",
        UnifiedFieldType.Boolean => "boolean",
        UnifiedFieldType.Number => "number",
        UnifiedFieldType.Object => "object",
        UnifiedFieldType.Array => "object[]",
        UnifiedFieldType.Record => "Record<string, any>",
        _ => "string",
    };
}

/// <summary>A documented request parameter (query, path or body).</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type as documented (<c>string · uuid</c>, <c>array</c>).</param>
/// <param name="Description">What it does.</param>
/// <param name="Required">True when every call needs it.</param>
/// <param name="Example">An example value, if documented.</param>
/// <param name="Values">The allowed values, when it is an enumeration.</param>
public sealed record UnifiedParameter(
    string Name,
    string Type,
    string Description,
    bool Required,
    string? Example,
    IReadOnlyList<string> Values);

/// <summary>A unified method of a resource (delete, batch-delete).</summary>
/// <param name="Name">The schema's name for it (<c>delete</c>, <c>batch_delete</c>); other spellings come from <see cref="OperationNames"/>.</param>
/// <param name="Shape">One id and one call, or many ids (the schema's <c>shape</c>).</param>
/// <param name="HttpMethod">The unified API's HTTP method.</param>
/// <param name="Path">The unified API's path.</param>
/// <param name="Title">A short title.</param>
/// <param name="Description">What it does.</param>
/// <param name="Wrapped">True when the response is <c>{"result": […]}</c> rather than the object.</param>
/// <param name="PathParameters">Parameters in the path.</param>
/// <param name="Query">Method-specific query parameters.</param>
/// <param name="Body">Body fields.</param>
public sealed record UnifiedMethod(
    string Name,
    OperationShape Shape,
    string HttpMethod,
    string Path,
    string Title,
    string Description,
    bool Wrapped,
    IReadOnlyList<UnifiedParameter> PathParameters,
    IReadOnlyList<UnifiedParameter> Query,
    IReadOnlyList<UnifiedParameter> Body)
{
    /// <summary>The name as URLs spell it (<c>batch-delete</c>).</summary>
    public string Slug => OperationNames.Slug(Name);
}

/// <summary>A unified resource: its fields, its methods and the Truto parameters all methods take.</summary>
/// <param name="UnifiedModel">The unified model (<c>crm</c>).</param>
/// <param name="Resource">The resource (<c>contacts</c>).</param>
/// <param name="Description">What the resource is.</param>
/// <param name="Fields">The response fields.</param>
/// <param name="TrutoQuery">Query parameters every method takes.</param>
/// <param name="Methods">The methods.</param>
public sealed record UnifiedResource(
    string UnifiedModel,
    string Resource,
    string Description,
    IReadOnlyList<UnifiedField> Fields,
    IReadOnlyList<UnifiedParameter> TrutoQuery,
    IReadOnlyList<UnifiedMethod> Methods)
{
    /// <summary>The method with the schema name (or URL slug) <paramref name="name"/>, or null.</summary>
    public UnifiedMethod? FindMethod(string name) => Methods.FirstOrDefault(m => OperationNames.Matches(m.Name, name));
}
