using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenModelClient;

/// <summary>Turns a provider's error response (HTTP status, headers, body) or an in-stream error object into the typed exception family.</summary>
/// <remarks>
/// Understands every error shape the supported servers send: nested <c>{"error":{code,message,type}}</c> (llama.cpp, vLLM, DeepSeek, DashScope),
/// flat <c>{"object":"error",…}</c> (old vLLM), <c>{"error":"text"}</c> (Ollama) and DashScope's native <c>{"code","message","request_id"}</c>.
/// Codes are matched before statuses because providers disagree on statuses (llama.cpp reports context overflow as a plain 400).
/// </remarks>
internal static class ProviderErrorMapper
{
    private const int MaxMessageChars = 1000;

    /// <summary>How much of an error body is read: error objects are small, and a hostile server must not make the client buffer more.</summary>
    private const int MaxErrorBodyBytes = 256 * 1024;
    private static readonly string[] RequestIdHeaders = ["x-request-id", "x-dashscope-request-id", "request-id", "x-ds-trace-id", "x-trace-id"];

    public static async Task<OpenModelException> FromResponseAsync(string provider, HttpResponseMessage response, CancellationToken cancellationToken, string? authenticationHint = null)
    {
        byte[] body;
        try
        {
            body = await ReadPrefixAsync(response, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            body = [];
        }

        return FromBody(provider, response.StatusCode, response.Headers, body, authenticationHint);
    }

    private static async Task<byte[]> ReadPrefixAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[(int)Math.Clamp(response.Content.Headers.ContentLength ?? 16 * 1024, 1024, maxBytes)];
            int length = 0;
            while (length < maxBytes)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(maxBytes, buffer.Length * 2));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return buffer[..length];
        }
    }

    // authenticationHint is appended to the message of an authentication failure (Model Studio keys are region-bound).
    public static OpenModelException FromBody(string provider, HttpStatusCode? status, HttpResponseHeaders? headers, ReadOnlySpan<byte> body, string? authenticationHint = null)
    {
        string? requestId = headers is null ? null : GetRequestId(headers);
        TimeSpan? retryAfter = headers is null ? null : GetRetryAfter(headers);

        ErrorFields fields;
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            fields = ReadFields(doc.RootElement);
        }
        catch (JsonException)
        {
            fields = default;
            fields.Message = Truncate(Encoding.UTF8.GetString(body).Trim());
        }

        return Create(provider, status, fields, requestId ?? fields.RequestId, retryAfter, authenticationHint);
    }

    /// <summary>Maps an error object that arrived inside a 200 stream (<c>data: {"error":…}</c> or an NDJSON <c>{"error":…}</c> line).</summary>
    public static OpenModelException FromStreamPayload(string provider, JsonElement root, string? requestId)
    {
        var fields = ReadFields(root);
        HttpStatusCode? status = fields.NumericCode is >= 400 and < 600 ? (HttpStatusCode)fields.NumericCode.Value : null;
        return Create(provider, status, fields, requestId ?? fields.RequestId, retryAfter: null);
    }

    public static string? GetRequestId(HttpResponseHeaders headers)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (headers.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        return value;
                    }
                }
            }
        }

        return null;
    }

    public static TimeSpan? GetRetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } retryAfter)
        {
            return RawRetryAfterSeconds(headers);
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter.Date is { } date)
        {
            var now = headers.Date ?? TimeProvider.System.GetUtcNow();
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>
    /// A <c>Retry-After</c> in seconds too large for the typed header parser (it keeps values up to <see cref="int.MaxValue"/> only and
    /// drops the rest as invalid): read from the raw value, capped at <see cref="TimeSpan.MaxValue"/>, so that it is seen as the long wait it is.
    /// </summary>
    internal static TimeSpan? RawRetryAfterSeconds(HttpHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            var digits = value.AsSpan().Trim();
            if (digits.Length > 0 && digits.IndexOfAnyExceptInRange('0', '9') < 0)
            {
                return digits.Length > 15 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Math.Min(long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture), (long)TimeSpan.MaxValue.TotalSeconds));
            }
        }

        return null;
    }

    private static OpenModelException Create(string provider, HttpStatusCode? status, ErrorFields f, string? requestId, TimeSpan? retryAfter, string? authenticationHint = null)
    {
        string? code = f.Code ?? f.Type;
        int? effectiveStatus = status is { } s ? (int)s : f.NumericCode;
        var kind = Classify(effectiveStatus, f.Code, f.Type, f.Message);
        if (kind == OpenModelErrorKind.Authentication && authenticationHint is not null)
        {
            f.Message = string.IsNullOrWhiteSpace(f.Message) ? authenticationHint : $"{f.Message} ({authenticationHint})";
        }

        return kind switch
        {
            OpenModelErrorKind.RateLimited => new RateLimitedException(provider, status, f.Message, code, requestId, retryAfter),
            OpenModelErrorKind.ServerOverloaded => new ServerOverloadedException(provider, status, f.Message, code, requestId, retryAfter),
            OpenModelErrorKind.Authentication => new AuthenticationFailedException(provider, status, f.Message, code, requestId),
            OpenModelErrorKind.ModelNotFound => new ModelNotFoundException(provider, status, f.Message, code, requestId),
            OpenModelErrorKind.ContextLengthExceeded => new ContextLengthExceededException(provider, status, f.Message, code, requestId, f.PromptTokens, f.ContextLength),
            OpenModelErrorKind.ContentFiltered => new ContentFilteredException(provider, status, f.Message, code, requestId),
            OpenModelErrorKind.InvalidRequest => new InvalidRequestException(provider, status, f.Message, code, requestId),
            _ => new OpenModelException(kind, provider, status, f.Message, code, requestId),
        };
    }

    internal static OpenModelErrorKind Classify(int? status, string? code, string? type, string? message)
    {
        if (Matches(code, type, "exceed_context_size_error", "context_length_exceeded", "context_window_exceeded") ||
            (message is not null && (message.Contains("exceeds the available context size", StringComparison.OrdinalIgnoreCase) ||
                                     message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase))))
        {
            return OpenModelErrorKind.ContextLengthExceeded;
        }

        // llama.cpp's router answers a request for a model it does not have with 400 "model 'NAME' not found".
        if (message is not null && message.StartsWith("model '", StringComparison.Ordinal) && message.EndsWith("' not found", StringComparison.Ordinal))
        {
            return OpenModelErrorKind.ModelNotFound;
        }

        if (Matches(code, type, "data_inspection_failed", "content_filter", "content_policy_violation", "DataInspectionFailed"))
        {
            return OpenModelErrorKind.ContentFiltered;
        }

        // DashScope reports its per-minute throttle as 429 insufficient_quota: transient, not billing (it uses OpenAI's billing wording for a throttle that clears within a minute).
        if (Matches(code, type, "insufficient_quota", "rate_limit_exceeded", "rate_limit_error", "Throttling", "throttling_error", "RequestLimitExceeded"))
        {
            return OpenModelErrorKind.RateLimited;
        }

        if (Matches(code, type, "unavailable_error", "server_busy", "overloaded_error", "insufficient_system_resource"))
        {
            return OpenModelErrorKind.ServerOverloaded;
        }

        // llama.cpp's router answers a model it does not have with 400 invalid_request_error "model 'x' not found".
        if (Matches(code, type, "model_not_found") ||
            (message is not null && message.StartsWith("model '", StringComparison.Ordinal) && message.EndsWith("' not found", StringComparison.Ordinal)))
        {
            return OpenModelErrorKind.ModelNotFound;
        }

        switch (status)
        {
            case 400 or 413 or 422: return OpenModelErrorKind.InvalidRequest;
            case 401 or 403: return OpenModelErrorKind.Authentication;
            case 402: return OpenModelErrorKind.InsufficientBalance;
            case 404: return OpenModelErrorKind.ModelNotFound;
            case 429: return OpenModelErrorKind.RateLimited;
            case 501: return OpenModelErrorKind.NotSupported;
            case 408 or 502 or 503 or 504 or 529: return OpenModelErrorKind.ServerOverloaded;
            case >= 500 and < 600: return OpenModelErrorKind.ServerError;
        }

        if (Matches(code, type, "authentication_error", "invalid_api_key", "permission_error", "unauthorized"))
        {
            return OpenModelErrorKind.Authentication;
        }

        if (Matches(code, type, "not_found_error"))
        {
            return OpenModelErrorKind.ModelNotFound;
        }

        if (Matches(code, type, "not_supported_error"))
        {
            return OpenModelErrorKind.NotSupported;
        }

        if (Matches(code, type, "invalid_request_error", "invalid_parameter_error", "BadRequestError"))
        {
            return OpenModelErrorKind.InvalidRequest;
        }

        return code is null && type is null ? OpenModelErrorKind.Unknown : OpenModelErrorKind.ServerError;
    }

    private static bool Matches(string? code, string? type, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if ((code is not null && code.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)) ||
                (type is not null && type.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static ErrorFields ReadFields(JsonElement root)
    {
        var f = default(ErrorFields);
        if (root.ValueKind != JsonValueKind.Object)
        {
            f.Message = Truncate(root.ToString());
            return f;
        }

        f.RequestId = GetString(root, "request_id");
        var source = root;
        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                f.Message = Truncate(error.GetString());
                return f;
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                source = error;
            }
        }

        f.Message = Truncate(GetString(source, "message") ?? GetString(root, "message"));
        f.Type = GetString(source, "type");
        if (source.TryGetProperty("code", out var code) || root.TryGetProperty("code", out code))
        {
            if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int numeric))
            {
                f.NumericCode = numeric;
            }
            else if (code.ValueKind == JsonValueKind.String)
            {
                f.Code = code.GetString();
            }
        }

        f.PromptTokens = GetInt64(source, "n_prompt_tokens");
        f.ContextLength = GetInt64(source, "n_ctx");
        f.RequestId ??= GetString(source, "request_id");
        return f;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? GetInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : null;

    internal static string? Truncate(string? text) =>
        text is null || text.Length <= MaxMessageChars ? text : string.Concat(text.AsSpan(0, MaxMessageChars), "…");

    private struct ErrorFields
    {
        public string? Message;
        public string? Code;
        public string? Type;
        public int? NumericCode;
        public string? RequestId;
        public long? PromptTokens;
        public long? ContextLength;
    }
}
