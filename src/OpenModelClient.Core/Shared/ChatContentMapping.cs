using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient;

/// <summary>Wire values every chat protocol shares, mapped to Microsoft.Extensions.AI: tool calls and finish reasons.</summary>
internal static class ChatContentMapping
{
    /// <summary>One complete call; a call without a function name (a fragment for an index no call opened) is a protocol error, never a call to run.</summary>
    /// <exception cref="OpenModelProtocolException">The call has no function name.</exception>
    public static FunctionCallContent CreateFunctionCall(string provider, string? id, string? name, string? arguments, int ordinal)
    {
        string callId = string.IsNullOrEmpty(id) ? SynthesizeCallId(ordinal) : id;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new OpenModelProtocolException(provider, null, $"tool call {ordinal} has no function name (its arguments arrived for a call the server never opened)", arguments is null ? null : ReceivedText.Prefix(System.Text.Encoding.UTF8.GetBytes(arguments)));
        }

        string functionName = name;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new FunctionCallContent(callId, functionName, new Dictionary<string, object?>());
        }

        var call = FunctionCallContent.CreateFromParsedArguments(arguments, callId, functionName, ParseArguments);
        if (call.Exception is not null)
        {
            call.RawRepresentation = arguments; // the text that did not parse, for whoever can repair or report it
        }

        return call;
    }

    private static IDictionary<string, object?>? ParseArguments(string json) =>
        (IDictionary<string, object?>?)JsonSerializer.Deserialize(json, WireJson.Options.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>Servers that omit ids still need distinct ones so results can be matched to calls.</summary>
    public static string SynthesizeCallId(int ordinal) => $"call_{Guid.NewGuid():N}"[..21] + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ChatFinishReason? ToFinishReason(string? value) => value switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(value),
    };
}
