namespace OpenModelClient.LiveTests;

/// <summary>Finds the llama.cpp build that CI places in a folder beside the repository root, or the one <c>OPENMODEL_LLAMA_SERVER_DIR</c> names.</summary>
internal static class LlamaServerBinary
{
    private static readonly Lazy<(string? Folder, string? Executable, string Reason)> Located = new(Locate);
    private static int _reported;

    /// <summary>Gets the shared folder (holding <c>models/</c> and <c>templates/</c>), or <see langword="null"/> when there is none.</summary>
    public static string? Folder => Located.Value.Folder;

    /// <summary>Gets a runnable <c>llama-server</c>: the shared one, or a copy with its run bit set when the shared folder lays it without one.</summary>
    public static string? Executable => Located.Value.Executable;

    /// <summary>Skips the calling test when there is no server, saying why in full the first time only.</summary>
    public static void SkipWhenAbsent()
    {
        if (Executable is not null)
        {
            return;
        }

        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            Console.Error.WriteLine($"Live tests skipped: {Located.Value.Reason}");
            Assert.Skip($"live tests skipped: {Located.Value.Reason}");
        }

        Assert.Skip("live tests skipped: no llama-server (see the first skipped live test)");
    }

    private static (string?, string?, string) Locate()
    {
        string? folder = Environment.GetEnvironmentVariable("OPENMODEL_LLAMA_SERVER_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OpenModelClient.sln")))
            {
                root = root.Parent;
            }

            if (root?.Parent is null)
            {
                return (null, null, $"no repository root (OpenModelClient.sln) above {AppContext.BaseDirectory}");
            }

            folder = Path.Combine(root.Parent.FullName, "shared", "llama-server");
        }

        string binary = Path.Combine(folder, "bin", "llama-server");
        if (!File.Exists(binary) || !File.Exists(Path.Combine(folder, "models", "tiny-chatml.gguf")))
        {
            return (null, null, $"{binary} (with models/tiny-chatml.gguf) not found; CI lays it in ../shared beside the clone");
        }

        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(binary) & UnixFileMode.UserExecute) != 0)
        {
            return (folder, binary, string.Empty);
        }

        // The shared folder may be laid without write or run bits: run a copy.
        string copy = Path.Combine(Directory.CreateTempSubdirectory("openmodel-llama-bin-").FullName, "llama-server");
        File.Copy(binary, copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (folder, copy, string.Empty);
    }
}
