using System.Text.Json;

namespace Truto.Mappings.Formats;

/// <summary>What a contact is mapped from: the provider body (if any), the current item, and the id.</summary>
/// <param name="Root">The provider's parsed response body (<c>$</c>), or null when it sent none.</param>
/// <param name="Current">The current batch item (<c>@</c>); the root when there are no items.</param>
/// <param name="Id">The requested id (<c>{{id}}</c>).</param>
public readonly record struct MappingInput(JsonElement? Root, JsonElement? Current, string Id)
{
    /// <summary>True when the provider sent a body; fields read from it are omitted otherwise.</summary>
    public bool HasBody => Root is not null;
}
