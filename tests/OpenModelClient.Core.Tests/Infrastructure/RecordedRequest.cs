using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenModelClient.Tests.Infrastructure;

/// <summary>A request as <see cref="ReplayServer"/> received it, body fully read.</summary>
public sealed class RecordedRequest
{
    private readonly Lazy<JsonNode?> _json;

    internal RecordedRequest(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        Headers = headers;
        Body = body;
        _json = new(() => ParseOrNull(body));
    }

    public string Method { get; }

    /// <summary>The request target exactly as sent on the wire (path plus query, not decoded).</summary>
    public string PathAndQuery { get; }

    /// <summary>Request headers, case-insensitive; values of a repeated header are joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON (parsed once, shared), or null when empty or not JSON.</summary>
    public JsonNode? BodyJson => _json.Value;

    public override string ToString() => $"{Method} {PathAndQuery} ({Body.Length} body bytes)";

    private static JsonNode? ParseOrNull(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
