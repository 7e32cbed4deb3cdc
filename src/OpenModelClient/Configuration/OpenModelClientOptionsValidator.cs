using Microsoft.Extensions.Options;

namespace OpenModelClient;

/// <summary>Checks a bound <see cref="OpenModelClientOptions"/> at start-up and names the offending key and the fix.</summary>
internal sealed class OpenModelClientOptionsValidator(string optionsName, string sectionPath) : IValidateOptions<OpenModelClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenModelClientOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, optionsName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>(options.BindingErrors);
        string Key(string key) => string.IsNullOrEmpty(sectionPath) ? key : $"{sectionPath}:{key}";

        if (string.IsNullOrWhiteSpace(options.Provider))
        {
            failures.Add($"{Key("Provider")} is missing. Set it to one of: {ProviderList}.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (!OpenModelClientFactory.TryParseProvider(options.Provider, out var provider))
        {
            failures.Add($"{Key("Provider")} '{options.Provider}' is not a known provider. Use one of: {ProviderList}.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (!OpenModelClientFactory.IsAvailable(provider))
        {
            failures.Add($"{Key("Provider")} '{provider}' is not available in this version of OpenModelClient yet. Available: {string.Join(", ", Enum.GetValues<OpenModelProvider>().Where(OpenModelClientFactory.IsAvailable))}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Endpoint))
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{Key("Endpoint")} '{options.Endpoint}' is not an absolute http(s) URL. Example: {ExampleEndpoint(provider)}.");
            }
        }
        else if (provider is OpenModelProvider.LlamaCpp or OpenModelProvider.OpenAICompatible)
        {
            failures.Add($"{Key("Endpoint")} is missing; {provider} has no default address. Example: {ExampleEndpoint(provider)}.");
        }

        if (provider != OpenModelProvider.LlamaCpp && string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Key("Model")} is missing; {provider} needs the model id to use.");
        }

        if (provider is OpenModelProvider.DeepSeek or OpenModelProvider.Qwen && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{Key("ApiKey")} is missing; {provider} is a hosted API and needs a key (set it in user secrets or an environment variable, never in source).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string ProviderList => string.Join(", ", Enum.GetNames<OpenModelProvider>());

    private static string ExampleEndpoint(OpenModelProvider provider) => provider switch
    {
        OpenModelProvider.LlamaCpp => "http://localhost:8080 (llama-server's --port; newer builds default to 9931)",
        OpenModelProvider.Ollama => "http://localhost:11434",
        OpenModelProvider.DeepSeek => "https://api.deepseek.com",
        _ => "http://localhost:8000/v1",
    };
}
