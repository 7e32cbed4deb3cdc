using System.Net;
using Microsoft.Extensions.AI;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.LlamaCpp;

/// <summary>One test per recorded error scenario: the typed exception, its status, code and message.</summary>
public class LlamaCppErrorFixtureTests
{
    [Theory]
    [InlineData("error-400-bad-response-format-type", "response_format type must be one of \"text\" or \"json_object\", but got: yaml")]
    [InlineData("error-400-invalid-tool-choice", "Invalid tool_choice: sometimes")]
    [InlineData("error-400-messages-not-array", "Expected 'messages' to be an array")]
    [InlineData("error-400-missing-messages", "'messages' is required")]
    [InlineData("error-400-top-logprobs-without-logprobs", "top_logprobs requires logprobs to be set to true")]
    [InlineData("error-400-two-trailing-assistant-messages", "Cannot have 2 or more assistant messages at the end of the list.")]
    [InlineData("error-400-wrong-type-max-tokens", "Field 'max_tokens': [json.exception.type_error.302] type must be number, but is string")]
    public async Task Invalid_requests_throw_InvalidRequestException(string scenario, string message)
    {
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => ChatAsync(scenario));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("invalid_request_error", e.ErrorCode);
        Assert.Equal(message, e.ProviderMessage);
        Assert.Equal(ProviderNames.LlamaCpp, e.Provider);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task error_400_logprobs_tools_stream()
    {
        await using var server = await ServeAsync("error-400-logprobs-tools-stream");
        using var client = Client(server);
        var e = await Assert.ThrowsAsync<InvalidRequestException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });
        Assert.Equal("logprobs is not supported with tools + stream", e.ProviderMessage);
    }

    [Fact]
    public async Task error_400_exceed_context_nonstream()
    {
        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() => ChatAsync("error-400-exceed-context-nonstream"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("exceed_context_size_error", e.ErrorCode);
        Assert.Equal(3033, e.PromptTokenCount);
        Assert.Equal(2048, e.ContextLength);
        Assert.Contains("exceeds the available context size", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error-404-get-on-post-route")]
    [InlineData("error-404-unknown-route")]
    [InlineData("error-404-unknown-route-post")]
    public async Task Unknown_routes_throw_ModelNotFoundException(string scenario)
    {
        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => ChatAsync(scenario));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("not_found_error", e.ErrorCode);
        Assert.Equal("File Not Found", e.ProviderMessage);
    }

    [Theory]
    [InlineData("error-500-invalid-utf8-output-nonstream", "The model produced output that does not match the expected peg-native format")]
    [InlineData("error-500-json-object-unparsable-output-nonstream", "The model produced output that does not match the expected peg-native format")]
    [InlineData("error-500-reasoning-budget-with-json-schema-nonstream", "The model produced output that does not match the expected peg-native format")]
    [InlineData("error-500-malformed-json", "[json.exception.parse_error.101] parse error at line 1, column 48: syntax error while parsing array - unexpected end of input; expected ']'")]
    public async Task Server_failures_throw_a_transient_server_error(string scenario, string message)
    {
        var e = await Assert.ThrowsAsync<OpenModelException>(() => ChatAsync(scenario));
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("server_error", e.ErrorCode);
        Assert.Equal(message, e.ProviderMessage);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task auth_error_401_missing_key()
    {
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => ChatAsync("auth-error-401-missing-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("authentication_error", e.ErrorCode);
        Assert.Equal("Invalid API Key", e.ProviderMessage);
    }

    [Fact]
    public async Task The_api_key_never_appears_in_an_error()
    {
        await using var server = await ServeAsync("auth-error-401-missing-key");
        using var client = Client(server, apiKey: "sk-secret-value-42");
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));
        Assert.DoesNotContain("sk-secret-value-42", e.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer sk-secret-value-42", server.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task error_json_object_unparsable_output_stream()
    {
        await using var server = await ServeAsync("error-json-object-unparsable-output-stream");
        using var client = Client(server);
        var text = string.Empty;
        var e = await Assert.ThrowsAsync<OpenModelException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Reply with a JSON object.", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, TestContext.Current.CancellationToken))
            {
                text += update.Text;
            }
        });
        Assert.Equal(" playerHidden", text);
        Assert.Equal("server_error", e.ErrorCode);
    }

    [Fact]
    public async Task error_reasoning_budget_with_json_schema_stream()
    {
        await using var server = await ServeAsync("error-reasoning-budget-with-json-schema-stream");
        using var client = Client(server);
        var reasoning = string.Empty;
        var e = await Assert.ThrowsAsync<OpenModelException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("What is 2+2?", cancellationToken: TestContext.Current.CancellationToken))
            {
                reasoning += string.Concat(update.Contents.OfType<TextReasoningContent>().Select(r => r.Text));
            }
        });
        Assert.NotEmpty(reasoning);
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
    }

    [Fact]
    public async Task error_501_embeddings_on_non_embedding_server()
    {
        await using var server = await ServeAsync("error-501-embeddings-on-non-embedding-server");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);
        var e = await Assert.ThrowsAsync<OpenModelException>(() => generator.GenerateAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(OpenModelErrorKind.NotSupported, e.Kind);
        Assert.Equal(HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Contains("--embeddings", e.ProviderMessage, StringComparison.Ordinal);
    }

    private static async Task<ChatResponse> ChatAsync(string scenario)
    {
        await using var server = await ServeAsync(scenario);
        using var client = Client(server);
        try
        {
            return await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            // Whatever the error: one request (nothing retried here), and the client, still alive, holds no connection in use.
            Assert.Equal(1, server.RequestCount);
            await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
        }
    }
}
