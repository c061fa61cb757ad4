namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// A token endpoint refusal as the provider's documentation words it: the HTTP status and how the
/// body begins (a prefix, where the rest is a generated id or wording the docs do not fix).
/// </summary>
/// <param name="Status">The HTTP status (Zoho refuses with 200).</param>
/// <param name="BodyStart">The body's first characters, exactly.</param>
public sealed record DocumentedRefusal(int Status, string BodyStart);
