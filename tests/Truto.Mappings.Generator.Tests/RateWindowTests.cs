using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// <c>rate_limit</c> with several windows: what a file may declare, and the mistakes between windows
/// (TM0030), each at its line and column.
/// </summary>
public sealed class RateWindowTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/windows.yaml";

    [Fact]
    public void Several_windows_of_both_scopes_and_the_one_window_form_are_accepted()
    {
        var windows = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 10, per_seconds: 1, burst: 5}
                - {requests: 240, per_seconds: 60}
                - {requests: 30000, per_seconds: 86400}
                - {requests: 1500, per_seconds: 60, per: app}
            """);
        var single = WithRateLimit("""
            rate_limit:
              requests: 2
              per_seconds: 1
              burst: 40
              per: app
            """);

        Assert.Empty(ProviderDiagnostics.Run(ProviderPath, windows));
        Assert.Empty(ProviderDiagnostics.Run(ProviderPath, single));
    }

    [Fact]
    public void Windows_beside_the_one_window_keys_is_TM0030_at_the_key()
    {
        var text = WithRateLimit("""
            rate_limit:
              requests: 10
              per_seconds: 1
              windows:
                - {requests: 240, per_seconds: 60}
            """);

        // At the value, as every diagnostic of a key's value.
        var (line, column) = ProviderDiagnostics.Position(text, "requests: 10", 0);
        AssertAt(Single(text), "TM0030", (line, column + "requests: ".Length),
            "'rate_limit.requests' is not valid: rate_limit has both windows and requests; expected either windows (a list of windows) or requests and per_seconds (one window), not both");
    }

    [Fact]
    public void Two_windows_of_one_length_and_scope_is_TM0030_at_the_later()
    {
        var text = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 240, per_seconds: 60}
                - {requests: 100, per_seconds: 60, burst: 300}
            """);

        AssertAt(Single(text), "TM0030", ProviderDiagnostics.Position(text, "{requests: 100", 0),
            "'rate_limit.windows[1]' is not valid: it counts calls per 60 s per account, as rate_limit.windows[0] does; expected one window per length and scope (keep the stricter)");
    }

    [Fact]
    public void One_length_per_account_and_per_app_are_two_windows()
    {
        var text = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 240, per_seconds: 60}
                - {requests: 1500, per_seconds: 60, per: app}
            """);

        Assert.Empty(ProviderDiagnostics.Run(ProviderPath, text));
    }

    [Fact]
    public void A_window_another_makes_redundant_is_TM0030_at_it()
    {
        // 1,000 a minute is 16.7 a second with a burst of 1,000: 10 a second (burst 10) is stricter in both.
        var text = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 10, per_seconds: 1}
                - {requests: 1000, per_seconds: 60}
            """);

        AssertAt(Single(text), "TM0030", ProviderDiagnostics.Position(text, "{requests: 1000", 0),
            "'rate_limit.windows[1]' is not valid: 1000 per 60 s per account, burst 1000 never holds a call back: rate_limit.windows[0] (10 per 1 s per account, burst 10) already allows no more calls at once and no more per second; expected a window stricter than the others in its burst or its rate, or none");
    }

    [Fact]
    public void An_app_window_can_make_an_account_window_redundant_but_not_the_reverse()
    {
        var accountRedundant = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 1, per_seconds: 1, per: app}
                - {requests: 100, per_seconds: 60}
            """);
        var appKept = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 1, per_seconds: 1}
                - {requests: 100, per_seconds: 60, per: app}
            """);

        AssertAt(Single(accountRedundant), "TM0030", ProviderDiagnostics.Position(accountRedundant, "{requests: 100", 0),
            "'rate_limit.windows[1]' is not valid: 100 per 60 s per account, burst 100 never holds a call back: rate_limit.windows[0] (1 per 1 s for the whole app, burst 1) already allows no more calls at once and no more per second; expected a window stricter than the others in its burst or its rate, or none");
        Assert.Empty(ProviderDiagnostics.Run(ProviderPath, appKept));
    }

    [Fact]
    public void A_longer_window_allowing_fewer_calls_per_second_is_what_windows_are_for()
    {
        var text = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 10, per_seconds: 1}
                - {requests: 240, per_seconds: 60}
            """);

        Assert.Empty(ProviderDiagnostics.Run(ProviderPath, text));
    }

    [Fact]
    public void A_window_without_per_seconds_is_TM0003_and_an_unknown_per_is_TM0011()
    {
        var missing = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 10}
            """);
        var unknown = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 10, per_seconds: 1, per: user}
            """);

        AssertAt(Single(missing), "TM0003", ProviderDiagnostics.Position(missing, "{requests: 10}", 0),
            "Missing required key 'per_seconds' in rate_limit.windows[0]");
        AssertAt(Single(unknown), "TM0011", ProviderDiagnostics.Position(unknown, "user", 0),
            "'rate_limit.windows[0].per' is 'user'; expected one of: account, app");
    }

    [Fact]
    public void A_window_of_zero_requests_is_TM0008_at_the_number()
    {
        var text = WithRateLimit("""
            rate_limit:
              windows:
                - {requests: 0, per_seconds: 1}
            """);

        var diagnostic = Single(text);
        var (line, column) = ProviderDiagnostics.Position(text, "requests: 0", 0);
        Assert.Equal("TM0008", diagnostic.Id);
        Assert.StartsWith("'rate_limit.windows[0].requests' must be a whole number from 1 to 1000000", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal((line, column + "requests: ".Length), (diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1));
    }

    [Fact]
    public void More_than_eight_windows_is_TM0015()
    {
        var lines = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"    - {{requests: {i}, per_seconds: {i * 10}}}"));
        var text = WithRateLimit("rate_limit:\n  windows:\n" + lines);

        AssertAt(Single(text), "TM0015", ProviderDiagnostics.Position(text, "- {requests: 1,", 0),
            "'rate_limit.windows' is too large: found 9 windows, expected at most 8 windows");
    }

    private static string WithRateLimit(string rateLimit)
        => GeneratorHarness.MinimalProvider("windows", "Windows").Replace("contacts:\n", rateLimit + "\ncontacts:\n", StringComparison.Ordinal);

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, (int Line, int Column) at, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, at, message);
}
