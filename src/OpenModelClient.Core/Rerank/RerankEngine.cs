using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>The one implementation of the Jina/Cohere-style rerank call every supported server speaks: <c>POST {"model","query","documents","top_n"}</c>
/// answered with <c>{"results":[{"index","relevance_score"}],"usage":{…}}</c> (llama.cpp <c>/v1/rerank</c>, vLLM <c>/rerank</c>, Model Studio
/// <c>/compatible-api/v1/reranks</c>).</summary>
internal sealed class RerankEngine(string provider, Uri endpoint, string? defaultModelId, string? apiKey, HttpClient? httpClient, string? notSupportedHint) : IDisposable
{
    public ModelHttpTransport Transport { get; } = new(provider, httpClient, apiKey);

    public Uri Endpoint => endpoint;

    public string? DefaultModelId => defaultModelId;

    public async Task<RerankResult> RerankAsync(string query, IEnumerable<string> documents, RerankOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(query);
        ArgumentNullException.ThrowIfNull(documents);
        var list = new JsonArray();
        foreach (var document in documents)
        {
            list.Add((JsonNode?)JsonValue.Create(document ?? throw new ArgumentException("A document is null.", nameof(documents))));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("There are no documents to rerank.", nameof(documents));
        }

        var body = new JsonObject();
        if ((options?.ModelId ?? defaultModelId) is { } model)
        {
            body["model"] = model;
        }

        body["query"] = query;
        body["documents"] = list;
        if (options?.TopN is { } topN)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topN, "options.TopN");
            body["top_n"] = topN;
        }

        if (options?.AdditionalProperties is { Count: > 0 } extra)
        {
            foreach (var (key, value) in extra)
            {
                WireJson.Merge(body, key, WireJson.ToNode(value));
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = ModelHttpTransport.CreateJsonContent(body) };
        byte[] bytes;
        HttpStatusCode status;
        try
        {
            var (read, response) = await Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                (bytes, status) = (read, response.StatusCode);
            }
        }
        catch (OpenModelException e) when (e.Kind == OpenModelErrorKind.NotSupported && notSupportedHint is not null)
        {
            throw new OpenModelException(OpenModelErrorKind.NotSupported, provider, e.StatusCode, $"{e.ProviderMessage} ({notSupportedHint})", e.ErrorCode, e.RequestId, e);
        }

        return Parse(bytes, status, list.Count);
    }

    public void Dispose() => Transport.Dispose();

    private RerankResult Parse(byte[] bytes, HttpStatusCode status, int documentCount)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw new OpenModelProtocolException(provider, status, "the rerank response has no 'results'", ReceivedText.Prefix(bytes));
            }

            var ranked = new List<RankedDocument>();
            foreach (var item in results.EnumerateArray())
            {
                if (!item.TryGetProperty("index", out var index) || !index.TryGetInt32(out int i) || i < 0 || i >= documentCount
                    || !item.TryGetProperty("relevance_score", out var score) || !score.TryGetDouble(out double s))
                {
                    throw new OpenModelProtocolException(provider, status, "a rerank result has no valid 'index' and 'relevance_score'", ReceivedText.Prefix(bytes));
                }

                ranked.Add(new RankedDocument(i, s));
            }

            ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
            return new RerankResult(ranked)
            {
                ModelId = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
                Usage = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object ? Usage(usage) : null,
            };
        }
        catch (JsonException e)
        {
            throw new OpenModelProtocolException(provider, status, "the rerank response is not valid JSON", ReceivedText.Prefix(bytes), innerException: e);
        }
    }

    private static UsageDetails Usage(JsonElement usage)
    {
        long? Read(string name) => usage.TryGetProperty(name, out var v) && v.TryGetInt64(out long n) ? n : null;
        long? total = Read("total_tokens");
        long? input = Read("prompt_tokens") is > 0 and var prompt ? prompt : Read("input_tokens") ?? total;
        return new UsageDetails { InputTokenCount = input, TotalTokenCount = total ?? input };
    }
}
