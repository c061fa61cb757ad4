using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The strongest proof that the OpenAPI document is usable: NSwag generates a C# client from the
/// served document, Roslyn compiles it with no errors, and the compiled client deletes contacts
/// through the running server against a loopback provider.
/// </summary>
public sealed class GeneratedClientTests : IAsyncLifetime
{
    // Calls the generated client the way a user would; compiled together with it.
    private const string Driver = """
        namespace Generated;

        public static class Driver
        {
            public static async System.Threading.Tasks.Task<string> DeleteAsync(string baseUrl, string token, string account, string id)
            {
                using var http = Authorized(token);
                var client = new TrutoClient(http) { BaseUrl = baseUrl };
                var contact = await client.ContactsDeleteAsync(id, System.Guid.Parse(account));
                return contact.Id;
            }

            public static async System.Threading.Tasks.Task<string> BatchDeleteAsync(string baseUrl, string token, string account, string[] ids)
            {
                using var http = Authorized(token);
                var client = new TrutoClient(http) { BaseUrl = baseUrl };
                var answer = await client.ContactsBatchDeleteAsync(System.Guid.Parse(account), body: new BatchDeleteRequest { Id = ids });
                return string.Join(",", System.Linq.Enumerable.Select(answer.Result, c => c.Id));
            }

            public static async System.Threading.Tasks.Task<string> DeleteUnknownAccountAsync(string baseUrl, string token)
            {
                using var http = Authorized(token);
                var client = new TrutoClient(http) { BaseUrl = baseUrl };
                try
                {
                    await client.ContactsDeleteAsync("51", System.Guid.Empty);
                    return "no error";
                }
                catch (ApiException<TrutoError> e)
                {
                    return e.StatusCode + " " + e.Result.Message;
                }
            }

            private static System.Net.Http.HttpClient Authorized(string token)
            {
                var http = new System.Net.Http.HttpClient();
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                return http;
            }
        }
        """;

    private static readonly string[] BatchIds = ["61", "62"];

    private TestServer _server = null!;
    private ReplayServer _provider = null!;

    [Fact]
    public async Task A_client_generated_by_NSwag_compiles_and_deletes_contacts_through_the_server()
    {
        var account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "hubspot-token" } },
        });
        var code = await GenerateClientAsync(await _server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var context = new AssemblyLoadContext("generated-client", isCollectible: true);
        try
        {
            var driver = Compile(code, context).GetType("Generated.Driver")!;
            var baseUrl = _server.Url.ToString();
            _provider.Load([new RecordedAnswer(204, new Dictionary<string, string>(), null, "application/json"), new RecordedAnswer(204, new Dictionary<string, string>(), null, "application/json")]);

            var deleted = await Invoke(driver, "DeleteAsync", baseUrl, TestServer.EnvironmentToken, account, "51");
            var batch = await Invoke(driver, "BatchDeleteAsync", baseUrl, TestServer.EnvironmentToken, account, BatchIds);
            var unknown = await Invoke(driver, "DeleteUnknownAccountAsync", baseUrl, TestServer.EnvironmentToken);

            Assert.Equal("51", deleted);
            Assert.Equal("61,62", batch);
            Assert.Equal("404 No integrated account with id '00000000-0000-0000-0000-000000000000'.", unknown);
            Assert.Equal(["/crm/v3/objects/contacts/51", "/crm/v3/objects/contacts/batch/archive"], _provider.Received.Select(r => r.PathAndQuery));
        }
        finally
        {
            context.Unload();
        }
    }

    private static async Task<string> GenerateClientAsync(string json)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "TrutoClient",
            UseBaseUrl = true,
            GenerateOptionalParameters = true,
            OperationNameGenerator = new NSwag.CodeGeneration.OperationNameGenerators.SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = "Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    private static Assembly Compile(string code, AssemblyLoadContext context)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Generated.TrutoClient",
            [CSharpSyntaxTree.ParseText(code), CSharpSyntaxTree.ParseText(Driver)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success, string.Join("\n", errors));
        Assert.Empty(errors);
        image.Position = 0;
        return context.LoadFromStream(image);
    }

    private static async Task<string> Invoke(Type driver, string method, params object[] arguments)
        => await (Task<string>)driver.GetMethod(method)!.Invoke(null, arguments)!;

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync(_provider.AllowArgument());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
