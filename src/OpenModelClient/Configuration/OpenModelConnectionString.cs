using System.Data.Common;

namespace OpenModelClient;

/// <summary>Reads a connection string such as <c>Endpoint=http://localhost:11434;Model=qwen3:4b</c> into options, in the shape .NET Aspire hands out.</summary>
/// <remarks>
/// Keys are the section's keys, plus <c>Key</c> and <c>AccessKey</c> for <c>ApiKey</c> (Aspire's names for a credential). When <c>Provider</c>
/// is absent it is inferred from the endpoint where the address says it unambiguously: <c>api.deepseek.com</c> is DeepSeek, a
/// <c>dashscope…aliyuncs.com</c> host is Qwen, <c>ollama.com</c> or port 11434 is Ollama, and a path ending in <c>/v1</c> is an
/// OpenAI-compatible server. Anything else is left for the start-up check to report.
/// </remarks>
internal static class OpenModelConnectionString
{
    public static void Apply(string connectionString, OpenModelClientOptions options, string sectionPath)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The text is never repeated: a connection string usually carries the key.
            options.BindingErrors.Add($"{sectionPath} is not a valid connection string. Write it as Endpoint=http://localhost:8080;Provider=LlamaCpp;Model=…;Key=… (key=value pairs separated by semicolons).");
            return;
        }

        bool hasProvider = false;
        foreach (string key in builder.Keys)
        {
            string name = key.Trim();
            if (name.Equals("Key", StringComparison.OrdinalIgnoreCase) || name.Equals("AccessKey", StringComparison.OrdinalIgnoreCase))
            {
                name = "ApiKey";
            }

            hasProvider |= name.Equals("Provider", StringComparison.OrdinalIgnoreCase);
            OpenModelOptionsBinder.Apply(options, name, builder[key]?.ToString() ?? string.Empty, sectionPath);
        }

        if (!hasProvider && options.Provider is null && options.Endpoint is { IsAbsoluteUri: true } endpoint && InferProvider(endpoint) is { } inferred)
        {
            options.Provider = inferred;
        }
    }

    /// <summary>The provider whose entry in <see cref="OpenModelProviders"/> recognises the address, in table order; <see langword="null"/> for none.</summary>
    public static OpenModelProvider? InferProvider(Uri endpoint) =>
        OpenModelProviders.All.FirstOrDefault(d => d.RecognizesEndpoint?.Invoke(endpoint) == true)?.Provider;
}
