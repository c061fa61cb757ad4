using Yarp.ReverseProxy.Configuration;

// Forwards everything to Forwarder:Destination (the benchmark's stub provider), like the
// unified server's one provider call but without mapping, accounts or tokens.
var builder = WebApplication.CreateBuilder(args);
var destination = builder.Configuration["Forwarder:Destination"]
    ?? throw new InvalidOperationException("Set Forwarder:Destination (e.g. --Forwarder:Destination=http://127.0.0.1:18081).");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "provider", Match = new RouteMatch { Path = "{**rest}" } }],
    [new ClusterConfig { ClusterId = "provider", Destinations = new Dictionary<string, DestinationConfig> { ["stub"] = new() { Address = destination } } }]);
var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
