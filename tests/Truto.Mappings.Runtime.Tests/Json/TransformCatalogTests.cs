using System.Reflection;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Json;

/// <summary>
/// The transform catalogue (shared source, compiled into the generator too) against the runtime:
/// every entry names a method generated code can call with the arguments the generator passes.
/// </summary>
public sealed class TransformCatalogTests
{
    public static TheoryData<string> Names() => [.. TransformCatalog.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_transform_names_a_public_static_MappingTransforms_method_with_the_parameters_its_argument_needs(string name)
    {
        var transform = TransformCatalog.Find(name)!;
        Type[] parameters = transform.Argument == TransformArgument.Text ? [typeof(MappedValue), typeof(string)] : [typeof(MappedValue)];

        var method = typeof(MappingTransforms).GetMethod(transform.Method, BindingFlags.Public | BindingFlags.Static, parameters);

        Assert.NotNull(method);
        Assert.Equal(typeof(MappedValue), method.ReturnType);
        // One overload only: the generator emits the call by name, so a second one could be picked instead.
        Assert.Single(typeof(MappingTransforms).GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.Name == transform.Method);
    }

    [Fact]
    public void Names_and_methods_are_unique_and_only_text_transforms_have_a_default()
    {
        Assert.Equal(TransformCatalog.All.Count, TransformCatalog.All.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(TransformCatalog.All.Count, TransformCatalog.All.Select(t => t.Method).Distinct(StringComparer.Ordinal).Count());
        Assert.All(TransformCatalog.All.Where(t => t.Argument == TransformArgument.None), t => Assert.Null(t.DefaultArgument));
    }

    [Fact]
    public void Every_public_MappingTransforms_method_is_in_the_catalogue()
    {
        var methods = typeof(MappingTransforms).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name);

        Assert.Equal(TransformCatalog.All.Select(t => t.Method).Order(StringComparer.Ordinal), methods.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Find_is_by_exact_yaml_name()
    {
        Assert.Equal("EpochSeconds", TransformCatalog.Find("epoch_seconds")?.Method);
        Assert.Null(TransformCatalog.Find("EpochSeconds"));
        Assert.Null(TransformCatalog.Find("Trim"));
    }
}
