using System.Globalization;

namespace Truto.Mappings.Interpreter.Loading;

/// <summary>
/// One diagnostic of the generator's catalogue (<c>TM0001</c>…), at the line and column the build
/// reports it (1-based), in the build's words.
/// </summary>
/// <param name="Id">The diagnostic id (<c>TM0002</c>).</param>
/// <param name="IsError">True for errors (every TM diagnostic today), false for warnings.</param>
/// <param name="FilePath">The file, as it was given to the loader.</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
/// <param name="Message">The message.</param>
public sealed record MappingDiagnostic(string Id, bool IsError, string FilePath, int Line, int Column, string Message)
{
    /// <summary>MSBuild's form, as <c>dotnet build</c> prints it: <c>path(line,col): error TM0002: message</c>.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{FilePath}({Line},{Column}): {(IsError ? "error" : "warning")} {Id}: {Message}");
}
