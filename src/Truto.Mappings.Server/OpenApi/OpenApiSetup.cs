namespace Truto.Mappings.Server.OpenApi;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>, OpenAPI 3.1) with the server's transformers.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddTrutoOpenApi(this IServiceCollection services)
        => services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<TrutoDocumentTransformer>();
            options.AddOperationTransformer<TrutoOperationTransformer>();
        });
}
