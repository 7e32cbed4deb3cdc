using System.Diagnostics;

namespace OpenModelClient;

/// <summary>Traces each rerank call as an OpenTelemetry span (<c>rerank {model}</c>) under <see cref="OpenModelTelemetry.SourceName"/>, with
/// the GenAI semantic-convention tags for the operation, provider, model, input tokens and error type. Documents and the query are never recorded.</summary>
internal sealed class TelemetryReranker(IReranker inner, string provider, string? defaultModelId) : IReranker
{
    private static readonly ActivitySource Source = new(OpenModelTelemetry.SourceName);

    public async Task<RerankResult> RerankAsync(string query, IEnumerable<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        string? model = options?.ModelId ?? defaultModelId;
        using var activity = Source.StartActivity(model is null ? "rerank" : $"rerank {model}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "rerank");
        activity?.SetTag("gen_ai.provider.name", provider);
        activity?.SetTag("gen_ai.request.model", model);
        try
        {
            var result = await inner.RerankAsync(query, documents, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("gen_ai.response.model", result.ModelId);
            activity?.SetTag("gen_ai.usage.input_tokens", result.Usage?.InputTokenCount);
            return result;
        }
        catch (Exception e)
        {
            activity?.SetTag("error.type", e is OpenModelException typed ? typed.Kind.ToString() : e.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner.GetService(serviceType, serviceKey);
    }

    public void Dispose() => inner.Dispose();
}
