using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Truto.Mappings.Adapters;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.OpenApi;

/// <summary>The document's title, description, tags and components (the operations refer to them).</summary>
public sealed class TrutoDocumentTransformer(ProviderCatalog catalog) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "Truto.Mappings unified CRM API",
            Version = "v1",
            Description = $"Delete CRM contacts across {catalog.Names.Count()} providers through one API, as Truto's unified CRM API defines it. "
                + "Every failure answers the Truto error envelope. Send Authorization: Bearer <api token>.",
        };
        ApiComponents.Register(document, catalog);
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Contacts", Description = ContactsSchema.Resource.Description },
            new() { Name = "Integrated accounts", Description = "Connections to provider accounts; contexts are encrypted at rest and redacted when read." },
            new() { Name = "Meta", Description = "What each provider's mapping does, from the same generated metadata as the adapters." },
            new() { Name = "Health", Description = "Whether the server is up, and ready to serve calls (no token needed)." },
        };
        return Task.CompletedTask;
    }
}
