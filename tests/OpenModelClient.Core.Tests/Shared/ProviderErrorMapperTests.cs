using System.Net;
using System.Text;
using System.Text.Json;

namespace OpenModelClient.Tests.Shared;

public class ProviderErrorMapperTests
{
    [Theory]
    [InlineData(400, """{"error":{"code":400,"message":"request (6009 tokens) exceeds the available context size (4096 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":6009,"n_ctx":4096}}""", typeof(ContextLengthExceededException), "exceed_context_size_error")]
    [InlineData(401, """{"error":{"message":"Invalid API Key","type":"authentication_error","code":401}}""", typeof(AuthenticationFailedException), "authentication_error")]
    [InlineData(404, """{"error":"model 'qwen3:4b' not found"}""", typeof(ModelNotFoundException), null)]
    [InlineData(400, """{"error":{"code":400,"message":"model 'nope' not found","type":"invalid_request_error"}}""", typeof(ModelNotFoundException), "invalid_request_error")]
    [InlineData(429, """{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"},"id":"chatcmpl-1","request_id":"req-9"}""", typeof(RateLimitedException), "insufficient_quota")]
    [InlineData(400, """{"error":{"message":"Input data may contain inappropriate content.","type":"data_inspection_failed","param":null,"code":"data_inspection_failed"},"request_id":"r"}""", typeof(ContentFilteredException), "data_inspection_failed")]
    [InlineData(503, """{"error":{"message":"Loading model","type":"unavailable_error","code":503}}""", typeof(ServerOverloadedException), "unavailable_error")]
    [InlineData(400, """{"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400}""", typeof(InvalidRequestException), "BadRequestError")]
    [InlineData(422, """{"error":{"message":"Invalid Parameters","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}""", typeof(InvalidRequestException), "invalid_request_error")]
    public void Maps_each_provider_error_shape_to_its_typed_exception(int status, string body, Type expectedType, string? expectedCode)
    {
        var e = ProviderErrorMapper.FromBody("test", (HttpStatusCode)status, null, Encoding.UTF8.GetBytes(body));
        Assert.IsType(expectedType, e);
        Assert.Equal((HttpStatusCode)status, e.StatusCode);
        Assert.Equal(expectedCode, e.ErrorCode);
        Assert.Equal("test", e.Provider);
        Assert.False(string.IsNullOrEmpty(e.ProviderMessage));
    }

    [Fact]
    public void Context_overflow_carries_the_token_figures()
    {
        var e = Assert.IsType<ContextLengthExceededException>(ProviderErrorMapper.FromBody("llama.cpp", HttpStatusCode.BadRequest, null,
            """{"error":{"code":400,"message":"too long","type":"exceed_context_size_error","n_prompt_tokens":3033,"n_ctx":2048}}"""u8));
        Assert.Equal(3033, e.PromptTokenCount);
        Assert.Equal(2048, e.ContextLength);
    }

    [Fact]
    public void Request_id_comes_from_the_body_when_no_header_has_it()
    {
        var e = ProviderErrorMapper.FromBody("qwen", HttpStatusCode.TooManyRequests, null,
            """{"error":{"code":"insufficient_quota","message":"m","type":"insufficient_quota"},"id":"chatcmpl-1","request_id":"5b6c"}"""u8);
        Assert.Equal("5b6c", e.RequestId);
        Assert.Contains("5b6c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_after_and_request_id_headers_are_read()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "7");
        response.Headers.TryAddWithoutValidation("x-request-id", "abc-123");
        var e = Assert.IsType<RateLimitedException>(ProviderErrorMapper.FromBody("vllm", response.StatusCode, response.Headers, """{"error":{"message":"slow down"}}"""u8));
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Equal("abc-123", e.RequestId);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void A_non_json_body_becomes_the_message_truncated()
    {
        var body = "<html>" + new string('x', 5000) + "</html>";
        var e = ProviderErrorMapper.FromBody("proxy", HttpStatusCode.BadGateway, null, Encoding.UTF8.GetBytes(body));
        Assert.Equal(OpenModelErrorKind.ServerOverloaded, e.Kind);
        Assert.True(e.ProviderMessage!.Length <= 1001);
        Assert.StartsWith("<html>", e.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_in_stream_error_uses_its_embedded_code_as_status()
    {
        using var doc = JsonDocument.Parse("""{"code":500,"message":"The model produced output that does not match the expected peg-native format","type":"server_error"}""");
        var e = ProviderErrorMapper.FromStreamPayload("llama.cpp", doc.RootElement, "chatcmpl-x");
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("server_error", e.ErrorCode);
        Assert.Equal("chatcmpl-x", e.RequestId);
    }

    [Fact]
    public void Exceptions_derive_from_HttpRequestException_so_status_filters_keep_working()
    {
        HttpRequestException e = ProviderErrorMapper.FromBody("x", HttpStatusCode.ServiceUnavailable, null, "{}"u8);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
    }
}
