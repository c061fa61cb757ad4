namespace Truto.Mappings.Accounts;

/// <summary>The shape a URL-forming context key must have; <paramref name="Values"/> lists the allowed values of <see cref="ContextShapeKind.OneOf"/>.</summary>
/// <param name="Kind">Which shape.</param>
/// <param name="Values">The allowed values for <see cref="ContextShapeKind.OneOf"/>; empty otherwise.</param>
public sealed record ContextShape(ContextShapeKind Kind, IReadOnlyList<string> Values);
