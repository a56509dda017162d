using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Inference.Models;

/// <summary>Finds models in folders laid out as Triton's model repository.</summary>
public sealed partial class ModelRepository
{
    private readonly IReadOnlyList<string> _roots;

    public ModelRepository(IEnumerable<string> roots)
    {
        _roots = roots.Select(Path.GetFullPath).ToArray();
    }

    public IReadOnlyList<string> Roots => _roots;

    /// <summary>A model name is one path segment of letters, digits, '_', '-' and '.', not starting with '.'.</summary>
    public static bool IsValidName(string name) => name.Length is > 0 and <= 200 && NamePattern().IsMatch(name);

    /// <summary>The names of all models in all roots, sorted.</summary>
    public IReadOnlyList<string> ListModels()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in _roots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var dir in Directory.EnumerateDirectories(root))
            {
                var name = Path.GetFileName(dir);
                if (IsValidName(name))
                {
                    names.Add(name);
                }
            }
        }

        return names.ToArray();
    }

    /// <summary>The folder of a model, or null when no root has it; two roots with the same model is an error.</summary>
    public string? FindModel(string name)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        string? found = null;
        foreach (var root in _roots)
        {
            var dir = Path.Combine(root, name);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            if (found is not null)
            {
                throw FerryException.Invalid($"model '{name}' is in two repositories: {found} and {dir}");
            }

            found = dir;
        }

        return found;
    }

    /// <summary>The versions present in a model folder: numeric sub-folders of 1 or more holding the model file.</summary>
    public static IReadOnlyDictionary<long, string> FindVersions(string modelDirectory, string modelFileName)
    {
        var versions = new SortedDictionary<long, string>();
        foreach (var dir in Directory.EnumerateDirectories(modelDirectory))
        {
            var name = Path.GetFileName(dir);
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                var file = Path.Combine(dir, modelFileName);
                if (File.Exists(file))
                {
                    versions[version] = file;
                }
            }
        }

        return versions;
    }

    [GeneratedRegex("^[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*$")]
    private static partial Regex NamePattern();
}
