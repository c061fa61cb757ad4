namespace Truto.Mappings.Accounts;

/// <summary>The JSON type a declared context key holds (YAML <c>context: … type:</c> <c>string</c>, <c>number</c> or <c>boolean</c>).</summary>
public enum ContextValueType
{
    /// <summary>A JSON string (YAML <c>string</c>, the default).</summary>
    Text,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}
