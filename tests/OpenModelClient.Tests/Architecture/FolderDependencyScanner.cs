using System.Text.RegularExpressions;
using Mono.Cecil;

namespace OpenModelClient.Tests.Architecture;

/// <summary>One folder of src using another: <see cref="Example"/> names a type in <see cref="From"/> and the type it uses in <see cref="To"/>.</summary>
internal sealed record FolderEdge(string From, string To, string Example);

/// <summary>
/// Finds which source folder uses which. Every library type is placed in the folder of the file that declares it (all
/// types share one namespace, so the namespace cannot say where a type lives); the uses come from the built
/// assemblies' metadata and IL: base types, signatures, fields, attributes and every type, method and field that a
/// method body names (so a call to a static helper counts, not only a type in a signature).
/// </summary>
internal static partial class FolderDependencyScanner
{
    /// <summary>The projects whose folders are layered, relative to the repository root.</summary>
    public static readonly string[] Projects = ["src/OpenModelClient.Core", "src/OpenModelClient"];

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenModelClient.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OpenModelClient.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every folder (relative to src/) that holds a .cs file of a layered project.</summary>
    public static IReadOnlyList<string> SourceFolders(string repoRoot) =>
        SourceFiles(repoRoot).Select(f => f.Folder).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Top-level type name (generic arity stripped) → the folders whose files declare it.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> TypeFolders(string repoRoot)
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (path, folder) in SourceFiles(repoRoot))
        {
            foreach (Match m in TopLevelDeclaration().Matches(File.ReadAllText(path)))
            {
                var name = m.Groups["name"].Value;
                if (!map.TryGetValue(name, out var folders))
                {
                    map[name] = folders = new HashSet<string>(StringComparer.Ordinal);
                }

                folders.Add(folder);
            }
        }

        return map;
    }

    /// <summary>The folder-to-folder uses in the given assemblies, one edge per pair with the first example found.</summary>
    public static IReadOnlyList<FolderEdge> Scan(string repoRoot, IEnumerable<string> assemblyPaths, out IReadOnlyList<string> unplaced)
    {
        var typeFolders = TypeFolders(repoRoot);
        var ours = new HashSet<string>(StringComparer.Ordinal);
        var modules = new List<ModuleDefinition>();
        foreach (var path in assemblyPaths)
        {
            var module = ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = false });
            modules.Add(module);
            ours.Add(module.Assembly.Name.Name);
        }

        var edges = new Dictionary<(string, string), FolderEdge>();
        var notPlaced = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var module in modules)
            {
                foreach (var type in module.Types)
                {
                    var fromFolder = FolderOf(type, typeFolders, notPlaced);
                    if (fromFolder is null)
                    {
                        continue;
                    }

                    foreach (var used in UsedTypes(type))
                    {
                        if (!IsOurs(used, ours))
                        {
                            continue;
                        }

                        var top = Top(used);
                        var toFolder = FolderOf(top, typeFolders, notPlaced);
                        if (toFolder is null || toFolder == fromFolder)
                        {
                            continue;
                        }

                        edges.TryAdd((fromFolder, toFolder), new FolderEdge(fromFolder, toFolder, $"{Simple(type.Name)} uses {Simple(top.Name)}"));
                    }
                }
            }
        }
        finally
        {
            foreach (var module in modules)
            {
                module.Dispose();
            }
        }

        unplaced = notPlaced.ToList();
        return edges.Values.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(string Path, string Folder)> SourceFiles(string repoRoot)
    {
        var src = Path.Combine(repoRoot, "src");
        foreach (var project in Projects)
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(repoRoot, project), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(src, Path.GetDirectoryName(path)!).Replace('\\', '/');
                if (relative.Contains("/obj", StringComparison.Ordinal) || relative.Contains("/bin", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return (path, relative);
            }
        }
    }

    /// <summary>The folder of a top-level type, or null for compiler- and generator-made types that have no file.</summary>
    private static string? FolderOf(TypeReference type, IReadOnlyDictionary<string, HashSet<string>> typeFolders, SortedSet<string> notPlaced)
    {
        var name = Simple(type.Name);
        if (typeFolders.TryGetValue(name, out var folders))
        {
            if (folders.Count == 1)
            {
                return folders.First();
            }

            notPlaced.Add($"{name} is declared in more than one folder: {string.Join(", ", folders.Order(StringComparer.Ordinal))}");
            return null;
        }

        if (type.Name.StartsWith('<') || !(type.Namespace is "OpenModelClient" or "Microsoft.Extensions.DependencyInjection"))
        {
            return null;
        }

        notPlaced.Add($"{type.Namespace}.{type.Name} has no source file under {string.Join(" or ", Projects)}");
        return null;
    }

    private static string Simple(string metadataName)
    {
        var tick = metadataName.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? metadataName : metadataName[..tick];
    }

    private static TypeReference Top(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static bool IsOurs(TypeReference type, HashSet<string> ours) => type.Scope switch
    {
        ModuleDefinition module => ours.Contains(module.Assembly.Name.Name),
        AssemblyNameReference assembly => ours.Contains(assembly.Name),
        _ => false,
    };

    /// <summary>Every type that a type (with its nested types) names anywhere, as plain type references.</summary>
    private static List<TypeReference> UsedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        Collect(type, found);
        return found;
    }

    private static void Collect(TypeDefinition type, List<TypeReference> found)
    {
        Add(type.BaseType, found);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType, found);
        }

        Attributes(type, found);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType, found);
            Attributes(field, found);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType, found);
            Attributes(property, found);
        }

        foreach (var method in type.Methods)
        {
            Add(method.ReturnType, found);
            Attributes(method, found);
            foreach (var p in method.Parameters)
            {
                Add(p.ParameterType, found);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var v in method.Body.Variables)
            {
                Add(v.VariableType, found);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Add(t, found);
                        break;
                    case MethodReference m:
                        Add(m.DeclaringType, found);
                        Add(m.ReturnType, found);
                        foreach (var p in m.Parameters)
                        {
                            Add(p.ParameterType, found);
                        }

                        if (m is GenericInstanceMethod g)
                        {
                            foreach (var a in g.GenericArguments)
                            {
                                Add(a, found);
                            }
                        }

                        break;
                    case FieldReference f:
                        Add(f.DeclaringType, found);
                        Add(f.FieldType, found);
                        break;
                }
            }
        }

        foreach (var nested in type.NestedTypes)
        {
            Collect(nested, found);
        }
    }

    private static void Attributes(ICustomAttributeProvider provider, List<TypeReference> found)
    {
        foreach (var a in provider.CustomAttributes)
        {
            Add(a.AttributeType, found);
        }
    }

    private static void Add(TypeReference? type, List<TypeReference> found)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType g:
                Add(g.ElementType, found);
                foreach (var a in g.GenericArguments)
                {
                    Add(a, found);
                }

                return;
            case TypeSpecification spec:
                Add(spec.ElementType, found);
                return;
            default:
                found.Add(type);
                return;
        }
    }

    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref|unsafe)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?|delegate\s+[\w<>\[\]?,.]+)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelDeclaration();
}
