namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>
/// The enums the YAML selects are one source file compiled into the generator and the runtime
/// (<c>BatchStrategy</c>, <c>UnifiedFieldType</c>, …): two types of the same members. The model
/// holds the generator's; the runtime takes its own, converted by member name.
/// </summary>
internal static class SharedEnum
{
    public static TRuntime To<TRuntime>(Enum value)
        where TRuntime : struct, Enum
        => Enum.Parse<TRuntime>(value.ToString(), ignoreCase: false);
}
