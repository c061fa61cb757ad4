using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// The request-rate windows of <c>rate_limit</c>: one written on the block itself (<c>requests</c>,
/// <c>per_seconds</c>, <c>burst</c>, <c>per</c>) or several under <c>windows:</c>, and the mistakes
/// between them (TM0030): both forms at once, two windows of one length and scope, and a window
/// that can never hold a call back because another allows no more at once and no more per second.
/// </summary>
internal static class RateWindows
{
    /// <summary>More windows than any provider documents; the cap keeps a file from declaring thousands.</summary>
    public const int MaxWindows = 8;

    private static readonly string[] WindowKeys = ["requests", "per_seconds", "burst", "per"];

    public static EquatableArray<RequestRateSpec> Parse(ParseContext context, MappingReader rateLimit)
    {
        var list = rateLimit.Get("windows");
        if (list is null)
        {
            return ParseOne(context, rateLimit) is { } one ? new[] { one }.ToEquatableArray() : EquatableArray<RequestRateSpec>.Empty;
        }
        if (WindowKeys.FirstOrDefault(k => rateLimit.Get(k) is not null) is { } inline)
        {
            context.Report(DiagnosticDescriptors.InvalidRateWindows, rateLimit.Get(inline), "rate_limit." + inline,
                "rate_limit has both windows and " + inline + "; expected either windows (a list of windows) or requests and per_seconds (one window), not both");
            return EquatableArray<RequestRateSpec>.Empty;
        }
        if (list is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            context.Report(DiagnosticDescriptors.WrongType, list, "rate_limit.windows", "a list of windows ({requests: 10, per_seconds: 1})", ParseContext.Describe(list));
            return EquatableArray<RequestRateSpec>.Empty;
        }
        if (sequence.Children.Count > MaxWindows)
        {
            context.Report(DiagnosticDescriptors.TooLarge, list, "rate_limit.windows",
                $"{sequence.Children.Count.ToString(CultureInfo.InvariantCulture)} windows", $"{MaxWindows.ToString(CultureInfo.InvariantCulture)} windows");
            return EquatableArray<RequestRateSpec>.Empty;
        }
        var windows = new List<(RequestRateSpec Spec, YamlNode Node, string Where)>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var where = $"rate_limit.windows[{i.ToString(CultureInfo.InvariantCulture)}]";
            var item = sequence.Children[i];
            if (item is not YamlMappingNode mapping)
            {
                context.Report(DiagnosticDescriptors.WrongType, item, where, "a window ({requests: 10, per_seconds: 1})", ParseContext.Describe(item));
                continue;
            }
            var reader = new MappingReader(context, mapping, where, WindowKeys);
            if (ParseOne(context, reader, required: true) is { } window)
            {
                windows.Add((window, mapping, where));
            }
        }
        return Check(context, windows) ? windows.Select(w => w.Spec).ToEquatableArray() : EquatableArray<RequestRateSpec>.Empty;
    }

    /// <summary>One window from <paramref name="reader"/>'s keys; null when it has none (and none is <paramref name="required"/>) or one is wrong.</summary>
    private static RequestRateSpec? ParseOne(ParseContext context, MappingReader reader, bool required = false)
    {
        var requests = reader.Int("requests", 1, 1_000_000);
        var perSeconds = reader.Int("per_seconds", 1, 86_400);
        var burst = reader.Int("burst", 1, 1_000_000);
        var per = reader.OneOf("per", false, "account", "app");
        if (!required && WindowKeys.All(k => reader.Get(k) is null))
        {
            return null;
        }
        if (requests is null && reader.Get("requests") is null)
        {
            reader.Require("requests");
        }
        if (perSeconds is null && reader.Get("per_seconds") is null)
        {
            reader.Require("per_seconds");
        }
        if (requests is null || perSeconds is null || (burst is null && reader.Get("burst") is not null) || (per is null && reader.Get("per") is not null))
        {
            return null;
        }
        return new RequestRateSpec(requests.Value, perSeconds.Value, burst ?? requests.Value, per == "app");
    }

    /// <summary>Reports the mistakes between windows; true when there are none.</summary>
    private static bool Check(ParseContext context, List<(RequestRateSpec Spec, YamlNode Node, string Where)> windows)
    {
        var valid = true;
        for (var i = 0; i < windows.Count; i++)
        {
            var (w, node, where) = windows[i];
            for (var j = 0; j < windows.Count; j++)
            {
                var v = windows[j].Spec;
                if (i == j)
                {
                    continue;
                }
                if (j < i && v.PerSeconds == w.PerSeconds && v.PerApp == w.PerApp)
                {
                    context.Report(DiagnosticDescriptors.InvalidRateWindows, node, where,
                        $"it counts calls per {Seconds(w)} {Scope(w)}, as {windows[j].Where} does; expected one window per length and scope (keep the stricter)");
                    valid = false;
                    break;
                }
                // An app-wide window counts this account's calls too, so it can make an account window
                // redundant; an account window never makes an app-wide one redundant.
                if (v.PerSeconds != w.PerSeconds && (v.PerApp == w.PerApp || v.PerApp) && AtMostAsLoose(v, w))
                {
                    context.Report(DiagnosticDescriptors.InvalidRateWindows, node, where,
                        $"{Describe(w)} never holds a call back: {windows[j].Where} ({Describe(v)}) already allows no more calls at once and no more per second; expected a window stricter than the others in its burst or its rate, or none");
                    valid = false;
                    break;
                }
            }
        }
        return valid;
    }

    /// <summary>True when <paramref name="v"/> allows no more at once (burst) and no more per second (requests / per_seconds) than <paramref name="w"/>.</summary>
    private static bool AtMostAsLoose(RequestRateSpec v, RequestRateSpec w)
        => v.Burst <= w.Burst && (long)v.Requests * w.PerSeconds <= (long)w.Requests * v.PerSeconds;

    private static string Seconds(RequestRateSpec w) => w.PerSeconds.ToString(CultureInfo.InvariantCulture) + " s";

    private static string Scope(RequestRateSpec w) => w.PerApp ? "for the whole app" : "per account";

    private static string Describe(RequestRateSpec w)
        => $"{w.Requests.ToString(CultureInfo.InvariantCulture)} per {Seconds(w)} {Scope(w)}, burst {w.Burst.ToString(CultureInfo.InvariantCulture)}";
}
