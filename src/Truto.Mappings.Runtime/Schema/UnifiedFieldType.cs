namespace Truto.Mappings.Schema;

/// <summary>The type of a unified field, as the schema file names it.</summary>
public enum UnifiedFieldType
{
    /// <summary><c>string</c></summary>
    String,

    /// <summary><c>string · date-time</c> (ISO-8601)</summary>
    DateTime,

    /// <summary><c>boolean</c></summary>
    Boolean,

    /// <summary><c>number</c></summary>
    Number,

    /// <summary><c>object</c> with <c>properties</c></summary>
    Object,

    /// <summary><c>object[]</c> whose items have <c>properties</c></summary>
    Array,

    /// <summary><c>Record&lt;string, any&gt;</c></summary>
    Record,
}
