using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OpenModelClient;

/// <summary>Reads an <c>OpenModel</c> section into <see cref="OpenModelClientOptions"/> key by key.</summary>
/// <remarks>
/// Hand-written rather than <c>ConfigurationBinder</c> so that each bad value, <c>Infinite</c> durations and misspelt keys are
/// reported by the start-up validator with the full key path, instead of a conversion exception at first use. AOT-safe as well.
/// </remarks>
internal static class OpenModelOptionsBinder
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Provider", "Preset", "Endpoint", "Model", "ApiKey", "Region", "EmbeddingModel", "ThinkTags", "CapabilityGuard", "CheckContextLength", "ResumableStreams", "ServiceDiscovery",
        "Timeouts:Connect", "Timeouts:FirstChunk", "Timeouts:Idle", "Timeouts:Total",
        "Retry:MaxAttempts", "Retry:MaxRetryAfter", "Retry:BaseDelay",
        "CircuitBreaker:Enabled", "CircuitBreaker:FailureRatio", "CircuitBreaker:MinimumThroughput", "CircuitBreaker:SamplingDuration", "CircuitBreaker:BreakDuration",
        "Telemetry:Enabled", "Telemetry:EnableSensitiveData",
        "Limits:MaxLineBytes", "Limits:MaxBodyBytes", "Limits:MaxStreamBytes",
        "Guards:AnswerRoom:Enabled", "Guards:AnswerRoom:AnswerShare", "Guards:AnswerRoom:RetryWithoutThinking", "Guards:Schema:Enabled",
        "Guards:ToolCallRepair:Enabled", "Guards:ToolCallRepair:MaxCorrections", "Guards:TruncatedToolCall:Enabled", "Guards:TruncatedToolCall:RetryWithLargerLimit",
        "Concurrency:MaxConcurrentRequests", "Concurrency:QueueLimit", "Concurrency:FromServer",
        "Embeddings:BatchSize", "Embeddings:MaxParallelism",
        "Routing:Strategy", "Routing:LoadFactor", "Routing:AffinityHeader",
    };

    public static void Bind(IConfiguration section, OpenModelClientOptions options, string sectionPath, IReadOnlySet<string>? ignoredKeys = null)
    {
        foreach (var (relativeKey, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null || relativeKey.Length == 0 || ignoredKeys?.Contains(relativeKey) == true)
            {
                continue;
            }

            if (!KnownKeys.Contains(relativeKey))
            {
                options.BindingErrors.Add($"{sectionPath}:{relativeKey} is not a known key. Known keys: {string.Join(", ", KnownKeys)}.");
                continue;
            }

            Apply(options, relativeKey, value, sectionPath);
        }
    }

    public static void Apply(OpenModelClientOptions options, string key, string value, string sectionPath)
    {
        string path = $"{sectionPath}:{key}";
        switch (key.ToUpperInvariant())
        {
            case "PROVIDER":
                // Reported at start-up, where the message can list the providers and name the key once.
                bool known = OpenModelClientFactory.TryParseProvider(value, out var provider);
                options.Provider = known ? provider : null;
                options.UnknownProvider = known || string.IsNullOrWhiteSpace(value) ? null : value;
                break;
            case "ENDPOINT":
                // Empty means unset; text that is no absolute URL is reported at start-up with an example for the provider.
                bool parsed = Uri.TryCreate(value.Trim(), UriKind.Absolute, out var endpoint);
                options.Endpoint = parsed ? endpoint : null;
                options.InvalidEndpoint = parsed || string.IsNullOrWhiteSpace(value) ? null : value;
                break;
            case "PRESET": options.Preset = value; break;
            case "MODEL": options.Model = value; break;
            case "APIKEY": options.ApiKey = value; break;
            case "REGION": options.Region = value; break;
            case "EMBEDDINGMODEL": options.EmbeddingModel = value; break;
            case "THINKTAGS": options.ThinkTags = ParseBool(options, path, value) ?? options.ThinkTags; break;
            case "CAPABILITYGUARD": options.CapabilityGuard = ParseBool(options, path, value) ?? options.CapabilityGuard; break;
            case "CHECKCONTEXTLENGTH": options.CheckContextLength = ParseBool(options, path, value) ?? options.CheckContextLength; break;
            case "RESUMABLESTREAMS": options.ResumableStreams = ParseBool(options, path, value) ?? options.ResumableStreams; break;
            case "SERVICEDISCOVERY": options.ServiceDiscovery = ParseBool(options, path, value) ?? options.ServiceDiscovery; break;
            case "TIMEOUTS:CONNECT": options.Timeouts.Connect = ParseDuration(options, path, value, allowInfinite: false); break;
            case "TIMEOUTS:FIRSTCHUNK": options.Timeouts.FirstChunk = ParseDuration(options, path, value, allowInfinite: true); break;
            case "TIMEOUTS:IDLE": options.Timeouts.Idle = ParseDuration(options, path, value, allowInfinite: true); break;
            case "TIMEOUTS:TOTAL": options.Timeouts.Total = ParseDuration(options, path, value, allowInfinite: true); break;
            case "RETRY:MAXATTEMPTS":
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int attempts) && attempts is >= 1 and <= 10)
                {
                    options.Retry.MaxAttempts = attempts;
                }
                else
                {
                    options.BindingErrors.Add($"{path} '{value}' must be a whole number from 1 (no retries) to 10.");
                }

                break;
            case "LIMITS:MAXLINEBYTES": options.Limits.MaxLineBytes = (int)(ParseBytes(options, path, value, OpenModelClientOptionsValidator.MaxBufferedBytes) ?? options.Limits.MaxLineBytes); break;
            case "LIMITS:MAXBODYBYTES": options.Limits.MaxBodyBytes = ParseBytes(options, path, value, OpenModelClientOptionsValidator.MaxBufferedBytes) ?? options.Limits.MaxBodyBytes; break;
            case "LIMITS:MAXSTREAMBYTES": options.Limits.MaxStreamBytes = ParseBytes(options, path, value, long.MaxValue) ?? options.Limits.MaxStreamBytes; break;
            case "RETRY:MAXRETRYAFTER": options.Retry.MaxRetryAfter = ParseDuration(options, path, value, allowInfinite: false); break;
            case "RETRY:BASEDELAY": options.Retry.BaseDelay = ParseDuration(options, path, value, allowInfinite: false); break;
            case "CIRCUITBREAKER:ENABLED": options.CircuitBreaker.Enabled = ParseBool(options, path, value) ?? options.CircuitBreaker.Enabled; break;
            case "CIRCUITBREAKER:SAMPLINGDURATION": options.CircuitBreaker.SamplingDuration = ParseDuration(options, path, value, allowInfinite: false); break;
            case "CIRCUITBREAKER:BREAKDURATION": options.CircuitBreaker.BreakDuration = ParseDuration(options, path, value, allowInfinite: false); break;
            case "CIRCUITBREAKER:FAILURERATIO":
                options.CircuitBreaker.FailureRatio = ParseNumber(
                    options, path, value, static r => r is > 0 and <= 1, "greater than 0 and at most 1, e.g. 0.5 to open the circuit when half the recent attempts failed") ?? options.CircuitBreaker.FailureRatio;
                break;
            case "CIRCUITBREAKER:MINIMUMTHROUGHPUT":
                options.CircuitBreaker.MinimumThroughput = ParseCount(options, path, value, 2, 1000, "attempts seen before the failure ratio counts") ?? options.CircuitBreaker.MinimumThroughput;
                break;
            case "TELEMETRY:ENABLED": options.Telemetry.Enabled = ParseBool(options, path, value) ?? options.Telemetry.Enabled; break;
            case "TELEMETRY:ENABLESENSITIVEDATA": options.Telemetry.EnableSensitiveData = ParseBool(options, path, value) ?? options.Telemetry.EnableSensitiveData; break;
            case "GUARDS:ANSWERROOM:ENABLED": options.Guards.AnswerRoom = ParseBool(options, path, value) ?? options.Guards.AnswerRoom; break;
            case "GUARDS:ANSWERROOM:RETRYWITHOUTTHINKING": options.Guards.RetryWithoutThinking = ParseBool(options, path, value) ?? options.Guards.RetryWithoutThinking; break;
            case "GUARDS:ANSWERROOM:ANSWERSHARE":
                options.Guards.AnswerShare = ParseNumber(
                    options, path, value, static s => s is > 0 and < 1, "greater than 0 and less than 1, e.g. 0.25 to keep a quarter of MaxOutputTokens for the answer") ?? options.Guards.AnswerShare;
                break;
            case "GUARDS:SCHEMA:ENABLED": options.Guards.Schema = ParseBool(options, path, value) ?? options.Guards.Schema; break;
            case "GUARDS:TOOLCALLREPAIR:ENABLED": options.Guards.ToolCallRepair = ParseBool(options, path, value) ?? options.Guards.ToolCallRepair; break;
            case "GUARDS:TOOLCALLREPAIR:MAXCORRECTIONS":
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int corrections) && corrections is >= 0 and <= 10)
                {
                    options.Guards.MaxToolCallCorrections = corrections;
                }
                else
                {
                    options.BindingErrors.Add($"{path} '{value}' must be a whole number from 0 (raise at once) to 10.");
                }

                break;
            case "GUARDS:TRUNCATEDTOOLCALL:ENABLED": options.Guards.TruncatedToolCall = ParseBool(options, path, value) ?? options.Guards.TruncatedToolCall; break;
            case "GUARDS:TRUNCATEDTOOLCALL:RETRYWITHLARGERLIMIT": options.Guards.RetryTruncatedToolCall = ParseBool(options, path, value) ?? options.Guards.RetryTruncatedToolCall; break;
            case "CONCURRENCY:MAXCONCURRENTREQUESTS":
                options.Concurrency.MaxConcurrentRequests = ParseCount(options, path, value, 1, OpenModelConcurrencyOptions.MaxPermits, "e.g. the server's slot count (llama-server --parallel)") ?? options.Concurrency.MaxConcurrentRequests;
                break;
            case "CONCURRENCY:QUEUELIMIT":
                options.Concurrency.QueueLimit = ParseCount(options, path, value, 0, OpenModelConcurrencyOptions.MaxQueueLimit, "0 fails every call that finds no free slot") ?? options.Concurrency.QueueLimit;
                break;
            case "EMBEDDINGS:BATCHSIZE":
                options.Embeddings.BatchSize = ParseCount(options, path, value, 1, OpenModelEmbeddingOptions.MaxBatchSize, "inputs per request; Qwen takes at most 10") ?? options.Embeddings.BatchSize;
                break;
            case "EMBEDDINGS:MAXPARALLELISM":
                options.Embeddings.MaxParallelism = ParseCount(options, path, value, 1, OpenModelEmbeddingOptions.MaxParallelismLimit, "requests at once, e.g. the server's slot count") ?? options.Embeddings.MaxParallelism;
                break;
            case "ROUTING:STRATEGY":
                if (Enum.TryParse<OpenModelRoutingStrategy>(value, ignoreCase: true, out var strategy) && Enum.IsDefined(strategy) && !char.IsAsciiDigit(value.Trim()[0]))
                {
                    options.Routing.Strategy = strategy;
                }
                else
                {
                    options.BindingErrors.Add($"{path} '{value}' is not a routing strategy. Use one of: {string.Join(", ", Enum.GetNames<OpenModelRoutingStrategy>())}.");
                }

                break;
            case "ROUTING:LOADFACTOR":
                options.Routing.LoadFactor = ParseNumber(
                    options, path, value, static f => f is >= 1 and <= 100, "from 1 to 100, e.g. 2 to let a replica carry twice the average load before requests spill") ?? options.Routing.LoadFactor;
                break;
            case "ROUTING:AFFINITYHEADER": options.Routing.AffinityHeader = value; break;
            case "CONCURRENCY:FROMSERVER": options.Concurrency.FromServer = ParseBool(options, path, value) ?? options.Concurrency.FromServer; break;
            default:
                options.BindingErrors.Add($"{path} is not a known key. Known keys: {string.Join(", ", KnownKeys)}.");
                break;
        }
    }

    private static bool? ParseBool(OpenModelClientOptions options, string path, string value)
    {
        if (bool.TryParse(value, out bool result))
        {
            return result;
        }

        options.BindingErrors.Add($"{path} '{value}' must be true or false.");
        return null;
    }

    private static double? ParseNumber(OpenModelClientOptions options, string path, string value, Func<double, bool> inRange, string range)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && inRange(number))
        {
            return number;
        }

        options.BindingErrors.Add($"{path} '{value}' must be a number {range}.");
        return null;
    }

    private static int? ParseCount(OpenModelClientOptions options, string path, string value, int min, int max, string hint)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int count) && count >= min && count <= max)
        {
            return count;
        }

        options.BindingErrors.Add($"{path} '{value}' must be a whole number from {min} to {max} ({hint}).");
        return null;
    }

    private static long? ParseBytes(OpenModelClientOptions options, string path, string value, long max)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes) && bytes > 0 && bytes <= max)
        {
            return bytes;
        }

        options.BindingErrors.Add($"{path} '{value}' must be a whole number of bytes from 1 to {max}, e.g. 8388608 for 8 MiB.");
        return null;
    }

    private static TimeSpan? ParseDuration(OpenModelClientOptions options, string path, string value, bool allowInfinite)
    {
        // Only the word: "-1" is refused (the start-up check says why) rather than silently read as no limit.
        if (allowInfinite && value.Trim().Equals("Infinite", StringComparison.OrdinalIgnoreCase))
        {
            return Timeout.InfiniteTimeSpan;
        }

        // The range is checked at start-up with values set in code (OpenModelClientOptionsValidator), with one message for both.
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        options.BindingErrors.Add($"{path} '{value}' must be a positive duration such as 00:00:30 (hh:mm:ss){(allowInfinite ? " or Infinite" : string.Empty)}.");
        return null;
    }
}
