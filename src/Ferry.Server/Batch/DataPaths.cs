namespace Ferry.Server.Batch;

/// <summary>Confines request paths to the data folder: no absolute path outside it, no <c>..</c> that leaves it.</summary>
public static class DataPaths
{
    /// <exception cref="FerryException">InvalidArgument when the path would leave the data folder.</exception>
    public static string Resolve(string root, string? path, string field)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw FerryException.Invalid($"'{field}' is required");
        }

        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(fullRoot, path));
        if (path.Split('/', '\\').Contains("..") || !full.StartsWith(fullRoot, StringComparison.Ordinal))
        {
            throw FerryException.Invalid($"'{field}' must be a path inside the data folder, without '..'");
        }

        return full;
    }
}
