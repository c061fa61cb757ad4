using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary><c>Store:Provider</c> picks the store; a value this version does not have stops the start plainly.</summary>
public sealed class StoreProviderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-store-provider", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(null, typeof(SqliteTrutoStore))]
    [InlineData("sqlite", typeof(SqliteTrutoStore))]
    [InlineData("PostgreSQL", typeof(PostgresTrutoStore))]
    public void The_provider_setting_picks_the_store(string? provider, Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = provider,
            ["ConnectionStrings:Truto"] = provider is null or "sqlite" ? "Data Source=unused.db" : "Host=127.0.0.1;Database=unused",
        }).Build();

        var store = StoreProvider.Create(configuration);

        Assert.IsType(expected, store);
        (store as IDisposable)?.Dispose();
    }

    [Fact]
    public void PostgreSQL_without_a_connection_string_stops_the_start_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:Provider"] = "postgresql" }).Build();

        var failure = Assert.Throws<StartupException>(() => StoreProvider.Create(configuration));

        Assert.Contains("ConnectionStrings:Truto is not set", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_provider_stops_the_program_with_a_message_naming_the_setting_and_creates_no_database()
    {
        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Truto.Mappings.Server.dll"), "tokens", "list"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["Store__Provider"] = "mysql";
        start.Environment["ConnectionStrings__Truto"] = $"Data Source={Path.Combine(_directory, "truto.db")}";
        start.Environment["DataProtection__KeysFolder"] = Path.Combine(_directory, "keys");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Empty((await output).Trim());
        Assert.Equal("Truto.Mappings cannot start: Store:Provider must be sqlite or postgresql (it is 'mysql').", (await error).Trim());
        Assert.False(File.Exists(Path.Combine(_directory, "truto.db")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
