using System.Text.Json;

namespace Truto.Mappings.Client;

/// <summary>What a caller sends to a unified method besides the account and the Truto parameters.</summary>
/// <param name="Ids">
/// The ids: exactly one for a <c>single</c> method; for a <c>batch</c> method body ids first, then
/// query ids (see <see cref="Requests.IdList.Merge"/>).
/// </param>
public sealed record OperationInput(IReadOnlyList<string> Ids)
{
    /// <summary>The body's <c>remote_data</c>, deep-merged over the provider's request body (requests without a body ignore it).</summary>
    public JsonElement? RemoteData { get; init; }
}
