using Truto.Mappings.Errors;

namespace Truto.Mappings.Http;

/// <summary>
/// What the outcome interpreter reads of a provider answer: status and buffered body, or the
/// transport failure (unreachable, timed out) instead. Plain data, so answers can be built in memory.
/// </summary>
/// <param name="Status">The provider's status (or the 502/504 of a transport failure).</param>
/// <param name="Body">The buffered body.</param>
/// <param name="TransportError">Set when no answer came.</param>
internal readonly record struct ProviderAnswer(int Status, ReadOnlyMemory<byte> Body, TrutoError? TransportError = null);
