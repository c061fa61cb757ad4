using Truto.Mappings.Expressions;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Expressions;

/// <summary>
/// The source the runtime shares with the generator (the expression model, the transform
/// catalogue) is internal: compiled into both assemblies, part of neither one's public API.
/// </summary>
public sealed class SharedSourceTests
{
    [Fact]
    public void The_runtime_exports_no_type_of_the_expression_model()
    {
        var exported = typeof(MappingTransforms).Assembly.GetExportedTypes();

        Assert.DoesNotContain(exported, t => t.Namespace == typeof(PathExpression).Namespace);
        Assert.Contains(typeof(PathParser), typeof(MappingTransforms).Assembly.GetTypes());
    }

    [Fact]
    public void The_transform_catalogue_is_internal_and_the_transforms_themselves_public()
    {
        Assert.False(typeof(TransformCatalog).IsVisible);
        Assert.False(typeof(MappingTransform).IsVisible);
        Assert.False(typeof(TransformArgument).IsVisible);
        Assert.True(typeof(MappingTransforms).IsVisible);
    }
}
