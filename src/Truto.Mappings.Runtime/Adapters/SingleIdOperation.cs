namespace Truto.Mappings.Adapters;

/// <summary>
/// An operation of shape <c>single</c>: one id, one provider call (<c>delete</c>). The id is
/// <see cref="RequestValues.Id"/>.
/// </summary>
public abstract class SingleIdOperation : ProviderOperation;
