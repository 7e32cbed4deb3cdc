// Shared by the console samples (linked into each project): reads appsettings.json, the environment and the command line,
// and picks a profile. A profile is a complete OpenModel section under "Profiles"; any OpenModel:* key from the environment
// (OpenModel__Endpoint=…) or the command line (--OpenModel:Endpoint=…) overrides the chosen profile's value.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

/// <summary>A sample's configuration: the chosen profile as an <c>OpenModel</c> section, the other profiles, and the prompt.</summary>
internal sealed class SampleSettings
{
    public const string DefaultProfile = "llamacpp";

    private SampleSettings(IConfigurationRoot root, string profile, string prompt)
    {
        Root = root;
        Profile = profile;
        Prompt = prompt;
    }

    /// <summary>Gets everything read: appsettings.json, then the environment, then the command line.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>Gets the chosen profile's name (<c>--provider</c>, else the <c>Profile</c> key, else <c>llamacpp</c>).</summary>
    public string Profile { get; }

    /// <summary>Gets the words of the command line that are not switches, joined; empty when there are none.</summary>
    public string Prompt { get; }

    /// <summary>Gets the effective section for <c>AddOpenModelChatClient</c>: the profile with the <c>OpenModel:*</c> overrides on top.</summary>
    public IConfigurationSection OpenModel => Root.GetSection("OpenModel");

    /// <summary>Gets every profile in appsettings.json, by name, each usable as an OpenModel section.</summary>
    public IEnumerable<IConfigurationSection> Profiles => Root.GetSection("Profiles").GetChildren();

    /// <summary>Gets where the chosen client sends requests, for messages.</summary>
    public string Endpoint => OpenModel["Endpoint"] is { Length: > 0 } endpoint ? endpoint
        : string.Equals(OpenModel["Provider"], "Ollama", StringComparison.OrdinalIgnoreCase) ? "http://localhost:11434" : "(no endpoint)";

    /// <summary>Reads the configuration: <c>--provider &lt;profile&gt;</c> picks a profile, <c>--Key=value</c> sets a key, other words form the prompt.</summary>
    /// <exception cref="SampleConfigurationException">A profile was named that does not exist.</exception>
    public static SampleSettings Load(string[] args)
    {
        var switches = new List<string>();
        var words = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--provider" or "--profile" or "-p" && i + 1 < args.Length)
            {
                switches.Add("--Profile=" + args[++i]);
            }
            else if (args[i].StartsWith("--provider=", StringComparison.OrdinalIgnoreCase) || args[i].StartsWith("--profile=", StringComparison.OrdinalIgnoreCase))
            {
                switches.Add("--Profile=" + args[i][(args[i].IndexOf('=', StringComparison.Ordinal) + 1)..]);
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                switches.Add(args[i]);
            }
            else
            {
                words.Add(args[i]);
            }
        }

        // Read once to learn which profile is wanted, then again with that profile copied under OpenModel, beneath the overrides.
        var first = Build(switches, profileKeys: []);
        string? named = first["Profile"] is { Length: > 0 } value ? value : null;
        var profiles = first.GetSection("Profiles").GetChildren().ToList();
        var section = profiles.FirstOrDefault(p => string.Equals(p.Key, named ?? DefaultProfile, StringComparison.OrdinalIgnoreCase));
        if (section is null && named is not null)
        {
            throw new SampleConfigurationException($"There is no profile '{named}'. Profiles in appsettings.json: {string.Join(", ", profiles.Select(p => p.Key))}.");
        }

        // Without any profile, the OpenModel section stands alone (set it in appsettings.json, the environment or the command line).
        var profileKeys = (section?.AsEnumerable(makePathsRelative: true) ?? [])
            .Where(pair => pair.Value is not null)
            .Select(pair => KeyValuePair.Create("OpenModel:" + pair.Key, pair.Value));
        return new SampleSettings(Build(switches, profileKeys), section?.Key ?? "(none)", string.Join(' ', words));
    }

    /// <summary>The command-line switches that pick a profile, for <c>AddCommandLine(args, SampleSettings.Switches)</c>.</summary>
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--provider"] = "Profile", ["--profile"] = "Profile", ["-p"] = "Profile",
    };

    /// <summary>
    /// Picks the profile in a host's configuration (<c>Host.CreateApplicationBuilder</c>: appsettings.json, the environment, then
    /// the command line read with <see cref="Switches"/>) and copies it under <c>OpenModel</c>, beneath the environment and the
    /// command line, so that <c>OpenModel:*</c> keys there still override it.
    /// </summary>
    /// <exception cref="SampleConfigurationException">A profile was named that does not exist.</exception>
    public static SampleSettings Select(ConfigurationManager configuration, string[] args)
    {
        string? named = configuration["Profile"] is { Length: > 0 } value ? value : null;
        var profiles = configuration.GetSection("Profiles").GetChildren().ToList();
        var section = profiles.FirstOrDefault(p => string.Equals(p.Key, named ?? DefaultProfile, StringComparison.OrdinalIgnoreCase));
        if (section is null && named is not null)
        {
            throw new SampleConfigurationException($"There is no profile '{named}'. Profiles in appsettings.json: {string.Join(", ", profiles.Select(p => p.Key))}.");
        }

        var profileKeys = (section?.AsEnumerable(makePathsRelative: true) ?? [])
            .Where(pair => pair.Value is not null)
            .Select(pair => KeyValuePair.Create("OpenModel:" + pair.Key, pair.Value))
            .ToList();
        int afterFiles = configuration.Sources.Select((source, index) => (source, index)).LastOrDefault(s => s.source is FileConfigurationSource, (null!, -1)).index + 1;
        configuration.Sources.Insert(afterFiles, new MemoryConfigurationSource { InitialData = profileKeys });
        return new SampleSettings(configuration, section?.Key ?? "(none)", string.Join(' ', PromptWords(args)));
    }

    /// <summary>The words the command-line provider leaves alone: not a switch, and not the value of a switch without <c>=</c>.</summary>
    private static IEnumerable<string> PromptWords(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1; // --Key value: the value is the next word
            }
            else
            {
                yield return args[i];
            }
        }
    }

    private static IConfigurationRoot Build(List<string> switches, IEnumerable<KeyValuePair<string, string?>> profileKeys) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddInMemoryCollection(profileKeys)
            .AddEnvironmentVariables()
            .AddCommandLine([.. switches])
            .Build();
}
