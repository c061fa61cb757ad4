using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Truto.Mappings.Generator.Diagnostics;

/// <summary>A position in a mapping file, stored as values so pipeline models stay cacheable.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    /// <summary>The start of a file, for problems that belong to no single node.</summary>
    public static LocationInfo FileStart(string filePath)
        => new(filePath, new TextSpan(0, 0), new LinePositionSpan(new LinePosition(0, 0), new LinePosition(0, 0)));
}

/// <summary>A diagnostic as data: descriptor, arguments and location, all value-equal.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo Location, Truto.Mappings.Expressions.EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
        => new(descriptor, location, new Truto.Mappings.Expressions.EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location.ToLocation(), System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object>(Arguments)));
}
