using Microsoft.Extensions.Options;

namespace OpenModelClient;

/// <summary>Checks a bound <see cref="OpenModelClientOptions"/> at start-up and names the offending key and the fix.</summary>
internal sealed class OpenModelClientOptionsValidator(string optionsName, string sectionPath, bool forEmbeddings) : IValidateOptions<OpenModelClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenModelClientOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, optionsName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>(options.BindingErrors);
        string Key(string key) => string.IsNullOrEmpty(sectionPath) ? key : $"{sectionPath}:{key}";

        if (options.UnknownProvider is { } unknown && options.Provider is null)
        {
            failures.Add($"{Key("Provider")} '{unknown}' is not a known provider. Use one of: {ProviderList}.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (options.Provider is not { } provider)
        {
            failures.Add($"{Key("Provider")} is missing. Set it to one of: {ProviderList} (in code: OpenModelProvider.{nameof(OpenModelProvider.LlamaCpp)}, …).");
            return ValidateOptionsResult.Fail(failures);
        }

        if (!Enum.IsDefined(provider))
        {
            failures.Add($"{Key("Provider")} '{provider}' is not a known provider. Use one of: {ProviderList}.");
            return ValidateOptionsResult.Fail(failures);
        }

        // Values set in code (configuration is checked as it is read).
        if (options.Limits.MaxLineBytes <= 0 || options.Limits.MaxBodyBytes <= 0 || options.Limits.MaxStreamBytes <= 0 ||
            options.Limits.MaxLineBytes > MaxBufferedBytes || options.Limits.MaxBodyBytes > MaxBufferedBytes)
        {
            failures.Add($"{Key("Limits")} must all be positive numbers of bytes, MaxLineBytes and MaxBodyBytes at most {MaxBufferedBytes} (1 GiB, what one buffer can hold) (MaxLineBytes {options.Limits.MaxLineBytes}, MaxBodyBytes {options.Limits.MaxBodyBytes}, MaxStreamBytes {options.Limits.MaxStreamBytes}); remove a key to keep its default.");
        }

        ValidateDurations(options, Key, failures);

        if (options.Guards.AnswerShare is not (> 0 and < 1))
        {
            failures.Add($"{Key("Guards:AnswerRoom:AnswerShare")} {options.Guards.AnswerShare.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be greater than 0 and less than 1, e.g. 0.25.");
        }

        if (options.Guards.MaxToolCallCorrections is < 0 or > 10)
        {
            failures.Add($"{Key("Guards:ToolCallRepair:MaxCorrections")} {options.Guards.MaxToolCallCorrections} must be from 0 to 10.");
        }

        var descriptor = OpenModelProviders.For(provider);
        ValidateConcurrency(options.Concurrency, descriptor, Key, failures);
        ValidateEmbeddings(options.Embeddings, descriptor, Key, failures);
        ValidateRouting(options, Key, failures);

        Uri? uri = options.Endpoint;
        bool hasEndpoint = uri is not null || options.InvalidEndpoint is not null;
        if (options.InvalidEndpoint is { } invalid && uri is null)
        {
            failures.Add($"{Key("Endpoint")} '{WithoutUserInfo(invalid)}' is not an absolute http(s) URL. Example: {descriptor.ExampleEndpoint}.");
        }
        else if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Key("Endpoint")} '{WithoutUserInfo(uri.OriginalString)}' is not an absolute http(s) URL. Example: {descriptor.ExampleEndpoint}.");
        }
        else if (uri is not null && !string.IsNullOrEmpty(uri.UserInfo))
        {
            // Refused rather than sent: a URL's user-info would reach pipeline names, logs and metadata. The value is never repeated.
            failures.Add($"{Key("Endpoint")} carries a user name or password ({uri.Scheme}://…@{uri.Authority}), which would be logged with the URL. Remove it from the URL and put the credential in {Key("ApiKey")}.");
        }

        if (options.ApiKey is { } apiKey && apiKey.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            failures.Add($"{Key("ApiKey")} contains a line break, which cannot be sent in an HTTP header; remove it (a key pasted with its trailing newline is the usual cause).");
        }

        if (!string.IsNullOrWhiteSpace(options.Preset))
        {
            if (provider != OpenModelProvider.OpenAICompatible)
            {
                failures.Add($"{Key("Preset")} applies to the OpenAICompatible provider only; remove it or set {Key("Provider")} to OpenAICompatible.");
            }
            else if (!Enum.TryParse<OpenAICompatiblePreset>(options.Preset, ignoreCase: true, out _))
            {
                failures.Add($"{Key("Preset")} '{options.Preset}' is not a known preset. Use one of: {string.Join(", ", Enum.GetNames<OpenAICompatiblePreset>())}.");
            }
        }

        // A provider with checks of its own (Qwen: Region or Endpoint) reports a missing address itself.
        if (!hasEndpoint && descriptor.Validate is null && descriptor.DefaultEndpoint(options) is null)
        {
            failures.Add($"{Key("Endpoint")} is missing; {provider} has no default address. Example: {descriptor.ExampleEndpoint}.");
        }

        descriptor.Validate?.Invoke(options, Key, failures);
        if (provider != OpenModelProvider.Qwen && !string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add($"{Key("Region")} applies to Qwen only; remove it for {provider}.");
        }

        if (!forEmbeddings && descriptor.RequiresModel && string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Key("Model")} is missing; {provider} needs the model id to use{descriptor.ModelExample}.");
        }

        if (forEmbeddings && descriptor.NoEmbeddings is { } noEmbeddings)
        {
            failures.Add($"{Key("Provider")}: {noEmbeddings}");
        }

        if (descriptor.Hosted && OpenModelClientFactory.ResolveApiKey(options, provider) is null)
        {
            failures.Add($"{Key("ApiKey")} is missing; {provider} is a hosted API and needs a key. Set {Key("ApiKey")} (user secrets or an environment variable such as {sectionPath.Replace(":", "__", StringComparison.Ordinal)}__ApiKey) or {descriptor.ApiKeyVariable(options)}; never put it in source.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The largest line or whole body a reader can buffer: one .NET array must hold it.</summary>
    internal const int MaxBufferedBytes = 1024 * 1024 * 1024;

    // What the pipeline accepts: Polly's timeout and retry delay take at most a day (the timeout at least 10 ms), and the
    // watchdog's timers and the connect timeout take far more; one range for all keeps the rule simple.
    private static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    private static void ValidateConcurrency(OpenModelConcurrencyOptions concurrency, OpenModelProviderDescriptor descriptor, Func<string, string> key, List<string> failures)
    {
        if (concurrency.MaxConcurrentRequests is { } max && max is < 1 or > OpenModelConcurrencyOptions.MaxPermits)
        {
            failures.Add($"{key("Concurrency:MaxConcurrentRequests")} {max} must be from 1 to {OpenModelConcurrencyOptions.MaxPermits}; remove it for no limit.");
        }

        if (concurrency.QueueLimit is < 0 or > OpenModelConcurrencyOptions.MaxQueueLimit)
        {
            failures.Add($"{key("Concurrency:QueueLimit")} {concurrency.QueueLimit} must be from 0 to {OpenModelConcurrencyOptions.MaxQueueLimit}.");
        }

        if (concurrency.FromServer && !descriptor.ReadsServerSlots)
        {
            failures.Add($"{key("Concurrency:FromServer")} reads llama.cpp's /props total_slots and works with Provider LlamaCpp only; for {descriptor.Provider}, set {key("Concurrency:MaxConcurrentRequests")} to the server's or the account's documented limit instead.");
        }
    }

    private static void ValidateEmbeddings(OpenModelEmbeddingOptions embeddings, OpenModelProviderDescriptor descriptor, Func<string, string> key, List<string> failures)
    {
        if (embeddings.BatchSize is { } size && (size is < 1 or > OpenModelEmbeddingOptions.MaxBatchSize))
        {
            failures.Add($"{key("Embeddings:BatchSize")} {size} must be from 1 to {OpenModelEmbeddingOptions.MaxBatchSize}; remove it for the provider's default.");
        }
        else if (embeddings.BatchSize > descriptor.MaxEmbeddingBatchSize)
        {
            failures.Add($"{key("Embeddings:BatchSize")} {embeddings.BatchSize} is more than {descriptor.Provider}'s embedding API accepts per request ({descriptor.MaxEmbeddingBatchSize}); set it to {descriptor.MaxEmbeddingBatchSize} or less, or remove it.");
        }

        if (embeddings.MaxParallelism is { } parallelism && (parallelism is < 1 or > OpenModelEmbeddingOptions.MaxParallelismLimit))
        {
            failures.Add($"{key("Embeddings:MaxParallelism")} {parallelism} must be from 1 to {OpenModelEmbeddingOptions.MaxParallelismLimit}.");
        }
    }

    private static void ValidateRouting(OpenModelClientOptions options, Func<string, string> key, List<string> failures)
    {
        var routing = options.Routing;
        if (routing.LoadFactor is not (>= 1 and <= 100))
        {
            failures.Add($"{key("Routing:LoadFactor")} {routing.LoadFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be from 1 to 100.");
        }

        if (routing.AffinityHeader is { } header && (header.Length == 0 || header.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))))
        {
            failures.Add($"{key("Routing:AffinityHeader")} '{header}' is not a valid HTTP header name; use the name the gateway documents, e.g. x-session-id.");
        }

        if (routing.Strategy == OpenModelRoutingStrategy.PrefixAffinity && !options.ServiceDiscovery && string.IsNullOrEmpty(routing.AffinityHeader))
        {
            failures.Add($"{key("Routing:Strategy")} PrefixAffinity needs replicas to choose from: set {key("ServiceDiscovery")} to true with the replicas under Services:<name>:http, or set {key("Routing:AffinityHeader")} for a gateway that routes by a header.");
        }
    }

    private static void ValidateDurations(OpenModelClientOptions options, Func<string, string> key, List<string> failures)
    {
        void Check(string name, TimeSpan? value, bool allowInfinite)
        {
            if (value is not { } v || (allowInfinite && v == Timeout.InfiniteTimeSpan) || (v >= MinDuration && v <= MaxDuration))
            {
                return;
            }

            string infinite = allowInfinite ? ", or Infinite for no limit" : string.Empty;
            string minusOne = v == TimeSpan.FromDays(-1) || v == Timeout.InfiniteTimeSpan ? " (-1 is not read as Infinite: write the word)" : string.Empty;
            failures.Add($"{key(name)} '{v}' is out of range: use a duration from 00:00:00.010 to 1.00:00:00 (one day){infinite}{minusOne}.");
        }

        Check("Timeouts:Connect", options.Timeouts.Connect, allowInfinite: false);
        Check("Timeouts:FirstChunk", options.Timeouts.FirstChunk, allowInfinite: true);
        Check("Timeouts:Idle", options.Timeouts.Idle, allowInfinite: true);
        Check("Timeouts:Total", options.Timeouts.Total, allowInfinite: true);
        Check("Retry:MaxRetryAfter", options.Retry.MaxRetryAfter, allowInfinite: false);
        Check("Retry:BaseDelay", options.Retry.BaseDelay, allowInfinite: false);
        if (options.Retry.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{key("Retry:MaxAttempts")} '{options.Retry.MaxAttempts}' must be a whole number from 1 (no retries) to 10.");
        }

        var breaker = options.CircuitBreaker;
        Check("CircuitBreaker:SamplingDuration", breaker.SamplingDuration, allowInfinite: false);
        Check("CircuitBreaker:BreakDuration", breaker.BreakDuration, allowInfinite: false);
        foreach (var (name, value) in (ReadOnlySpan<(string, TimeSpan?)>)[("CircuitBreaker:SamplingDuration", breaker.SamplingDuration), ("CircuitBreaker:BreakDuration", breaker.BreakDuration)])
        {
            if (value is { } v && v < TimeSpan.FromSeconds(0.5))
            {
                failures.Add($"{key(name)} '{v}' is too short for a circuit breaker: use at least 00:00:00.500.");
            }
        }

        if (breaker.FailureRatio is { } ratio && ratio is not (> 0 and <= 1))
        {
            failures.Add($"{key("CircuitBreaker:FailureRatio")} '{ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)}' must be greater than 0 and at most 1, e.g. 0.5.");
        }

        if (breaker.MinimumThroughput is < 2 or > 1000)
        {
            failures.Add($"{key("CircuitBreaker:MinimumThroughput")} '{breaker.MinimumThroughput}' must be a whole number from 2 to 1000.");
        }
    }

    // An endpoint that is not a URL is quoted back without anything that looks like user-info.
    private static string WithoutUserInfo(string endpoint)
    {
        int at = endpoint.LastIndexOf('@');
        int scheme = endpoint.IndexOf("//", StringComparison.Ordinal);
        return at < 0 ? endpoint : string.Concat(endpoint.AsSpan(0, scheme < 0 || scheme > at ? 0 : scheme + 2), "…", endpoint.AsSpan(at));
    }

    private static string ProviderList => string.Join(", ", Enum.GetNames<OpenModelProvider>());
}
