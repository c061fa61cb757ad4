using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The Data Protection key ring in a folder only the server's user can open: the folder is created
/// (or tightened to) 0700 and every key file to 0600, so without a certificate the keys — which
/// decrypt every stored credential — are at least not readable by other users of the machine.
/// </summary>
public sealed class OwnerOnlyXmlRepository : IXmlRepository
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly DirectoryInfo _folder;
    private readonly FileSystemXmlRepository _files;

    public OwnerOnlyXmlRepository(DirectoryInfo folder, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(folder);
        _folder = folder;
        Restrict();
        _files = new FileSystemXmlRepository(folder, loggers);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        Restrict();
    }

    private void Restrict()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!_folder.Exists)
        {
            Directory.CreateDirectory(_folder.FullName, OwnerOnlyFolder);
        }
        File.SetUnixFileMode(_folder.FullName, OwnerOnlyFolder);
        foreach (var file in Directory.EnumerateFiles(_folder.FullName, "*.xml"))
        {
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }
        _folder.Refresh();
    }
}
