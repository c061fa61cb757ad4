namespace Truto.Mappings.Adapters;

// Shared source: the generator compiles this file too (its model and the names it emits), so the
// YAML's strategy and the runtime's dispatch have one vocabulary. No references to runtime-only types.

/// <summary>How a batch is sent: the provider's own batch endpoint, or one delete per id.</summary>
public enum BatchStrategy
{
    /// <summary>The provider's batch endpoint, in chunks of the operation's <c>MaxIds</c>.</summary>
    Native,

    /// <summary>One delete per id, the operation's <c>Concurrency</c> at a time.</summary>
    FanOut,
}
