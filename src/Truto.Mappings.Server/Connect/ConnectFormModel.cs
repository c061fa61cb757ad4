namespace Truto.Mappings.Server.Connect;

/// <summary>What the <c>connect-form</c> template shows (members read in snake_case).</summary>
/// <param name="DisplayName">The provider's name.</param>
/// <param name="Integration">The integration, for the form's action.</param>
/// <param name="State">The flow's single-use state, which is also the form's anti-forgery token.</param>
/// <param name="Fields">One input per declared context key.</param>
/// <param name="Error">An error that belongs to no one field.</param>
public sealed record ConnectFormModel(string DisplayName, string Integration, string State, IReadOnlyList<ConnectFormField> Fields, string? Error);

/// <summary>One input of the API-key form.</summary>
/// <param name="Name">The input's name (<c>context[api_key]</c>).</param>
/// <param name="Id">The input's id.</param>
/// <param name="Label">The declared label.</param>
/// <param name="Help">The declared help text.</param>
/// <param name="InputType"><c>password</c> for secrets, <c>number</c>, <c>checkbox</c> or <c>text</c>.</param>
/// <param name="Required">True when the provider cannot work without it.</param>
/// <param name="Value">What was typed before (never a secret's), when the form is shown again.</param>
/// <param name="Error">Why the value was refused.</param>
public sealed record ConnectFormField(string Name, string Id, string Label, string? Help, string InputType, bool Required, string? Value, string? Error);
