namespace OpenModelClient;

/// <summary>The server accepted a JSON schema for the reply but the reply does not conform to it.</summary>
/// <remarks>Raised by <see cref="JsonSchemaGuardChatClient"/>, before the text reaches <c>GetResponseAsync&lt;T&gt;</c> as a deserialisation
/// failure or as wrong data. Servers do this when they ignore or drop the constraint parameter, or when a grammar fails.</remarks>
public sealed class ResponseSchemaViolationException : OpenModelException
{
    /// <summary>Initializes a new instance of the <see cref="ResponseSchemaViolationException"/> class.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="responseText">The reply's text.</param>
    /// <param name="violation">The first violation found, e.g. <c>/items/0/kind: value is not one of the enum</c>.</param>
    /// <param name="schemaName">The schema's name, if the request gave one.</param>
    /// <param name="requestId">The response id, if any.</param>
    public ResponseSchemaViolationException(string provider, string responseText, string violation, string? schemaName = null, string? requestId = null)
        : base(OpenModelErrorKind.ResponseSchemaViolated, provider, null, (schemaName is null ? string.Empty : $"schema '{schemaName}': ") + violation, "response_schema_violation", requestId)
    {
        ResponseText = responseText ?? string.Empty;
        Violation = violation ?? string.Empty;
        SchemaName = schemaName;
    }

    /// <summary>Gets the reply's text. It may hold user data: do not log it carelessly.</summary>
    public string ResponseText { get; }

    /// <summary>Gets the first violation found, with its JSON Pointer location.</summary>
    public string Violation { get; }

    /// <summary>Gets the schema's name, if the request gave one.</summary>
    public string? SchemaName { get; }
}
