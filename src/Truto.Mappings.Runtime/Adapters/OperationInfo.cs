namespace Truto.Mappings.Adapters;

/// <summary>What a provider does for one unified method, generated from its YAML (meta and coverage read it).</summary>
/// <param name="Resource">The unified resource (<c>contacts</c>).</param>
/// <param name="Method">The method's schema name (<c>delete</c>, <c>batch_delete</c>).</param>
/// <param name="Strategy">For batches: native or fan-out (<see cref="BatchStrategy.Native"/> for single-id methods).</param>
/// <param name="MaxIds">Ids per provider call (1 for single-id methods and fan-out).</param>
/// <param name="Concurrency">Provider calls in flight at once for one request.</param>
/// <param name="ResponseFields">The unified response fields the mapping populates, dotted for nested ones.</param>
/// <param name="RequestFields">The unified request fields the mapping reads.</param>
public sealed record OperationInfo(
    string Resource,
    string Method,
    BatchStrategy Strategy,
    int MaxIds,
    int Concurrency,
    IReadOnlyList<string> ResponseFields,
    IReadOnlyList<RequestFieldCoverage> RequestFields)
{
    /// <summary>
    /// The pattern every id must match whole (YAML <c>id_pattern</c> of the resource), or null when the
    /// provider's ids have no fixed form. An id that does not match is refused, never sent.
    /// </summary>
    public System.Text.RegularExpressions.Regex? IdPattern { get; init; }

    /// <summary>The separator a batch call joins its ids with (<c>{{ids | join(',')}}</c>); an id containing it is refused.</summary>
    public string? IdSeparator { get; init; }

    /// <summary>
    /// True when the request writes ids as JSON numbers (<c>{{id | number}}</c>, <c>{{ids | number}}</c>):
    /// an id that is not a JSON number (RFC 8259 grammar: <c>102</c>; not <c>007</c>, <c>+1</c> or
    /// <c>1,000</c>) is refused, for that id, and never sent.
    /// </summary>
    public bool NumericIds { get; init; }

    /// <summary>
    /// True when the YAML marks the call idempotent (<c>idempotent: true</c>): only then is an
    /// attempt that timed out or failed in TLS — the provider may have acted — tried again.
    /// </summary>
    public bool Idempotent { get; init; }
}
