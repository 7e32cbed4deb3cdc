using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>
/// "Reasoning ate the answer" replies, one per provider that reports reasoning, shaped like the providers' documented replies:
/// reasoning, no answer text, finish (done) reason length. llama.cpp's non-streamed one is the recorded fixture.
/// </summary>
internal static class ReasoningExhaustionTranscripts
{
    public const string Reasoning = "The user asks for 2+2. Let me think about it carefully";

    public static readonly string[] Providers = ["llama.cpp", "ollama", "deepseek", "qwen", "vllm"];

    public static IChatClient Client(string provider, ReplayServer server) => provider switch
    {
        "llama.cpp" => new LlamaCppChatClient(server.BaseAddress),
        "ollama" => new OllamaChatClient(server.BaseAddress, "qwen3"),
        "deepseek" => new DeepSeekChatClient(server.BaseAddress, DeepSeekModels.Flash, options: new DeepSeekChatClientOptions { ApiKey = "k" }),
        "qwen" => new QwenChatClient(server.BaseAddress, "qwen-plus", options: new QwenChatClientOptions { ApiKey = "k" }),
        "vllm" => new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "Qwen/Qwen3-8B", options: new OpenAICompatibleClientOptions { Preset = OpenAICompatiblePreset.Vllm, ThinkingBudgetField = "thinking_token_budget" }),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The reasoning the client reports for <see cref="Exhausted"/> (the llama.cpp fixture has its own).</summary>
    public static string ExpectedReasoning(string provider, bool stream) =>
        provider == "llama.cpp" && !stream ? "\nwick naarquit solves proverams ore♣ GarcíaOver" : Reasoning;

    public static ReplayResponse Exhausted(string provider, bool stream) => (provider, stream) switch
    {
        ("llama.cpp", false) => ReplayResponse.FromFixture("llama.cpp", "chat-reasoning-nonstream-length"),
        ("ollama", false) => ReplayResponse.Json(200, """{"model":"qwen3","created_at":"2025-10-26T17:15:24.19314Z","message":{"role":"assistant","content":"","thinking":"The user asks for 2+2. Let me think about it carefully"},"done":true,"done_reason":"length","total_duration":182242375,"prompt_eval_count":16,"eval_count":10}"""),
        ("ollama", true) => ReplayResponse.Ndjson(
            """
            {"model":"qwen3","created_at":"2025-10-26T17:15:24.1Z","message":{"role":"assistant","content":"","thinking":"The user asks for 2+2."},"done":false}
            {"model":"qwen3","created_at":"2025-10-26T17:15:24.2Z","message":{"role":"assistant","content":"","thinking":" Let me think about it carefully"},"done":false}
            {"model":"qwen3","created_at":"2025-10-26T17:15:24.3Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":182242375,"prompt_eval_count":16,"eval_count":10}

            """),
        (_, false) => ReplayResponse.Json(200, $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1786506451,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":{{{(provider == "deepseek" ? "null" : "\"\"")}}},"{{{Field(provider)}}}":"{{{Reasoning}}}"},"finish_reason":"length"}],"usage":{"prompt_tokens":16,"completion_tokens":10,"total_tokens":26}}"""),
        (_, true) => ReplayResponse.Sse(
            $$$"""
            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1786506451,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","{{{Field(provider)}}}":"The user asks for 2+2."},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1786506451,"model":"m","choices":[{"index":0,"delta":{"{{{Field(provider)}}}":" Let me think about it carefully"},"finish_reason":null}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1786506451,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1786506451,"model":"m","choices":[],"usage":{"prompt_tokens":16,"completion_tokens":10,"total_tokens":26}}

            data: [DONE]


            """),
    };

    /// <summary>A plain answer with thinking off.</summary>
    public static ReplayResponse Answer(string provider, bool stream) => (provider, stream) switch
    {
        ("ollama", false) => ReplayResponse.Json(200, """{"model":"qwen3","created_at":"2025-10-26T17:15:25Z","message":{"role":"assistant","content":"4"},"done":true,"done_reason":"stop","prompt_eval_count":16,"eval_count":2}"""),
        ("ollama", true) => ReplayResponse.Ndjson(
            """
            {"model":"qwen3","created_at":"2025-10-26T17:15:25.1Z","message":{"role":"assistant","content":"4"},"done":false}
            {"model":"qwen3","created_at":"2025-10-26T17:15:25.2Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":16,"eval_count":2}

            """),
        (_, false) => ReplayResponse.Json(200, """{"id":"chatcmpl-2","object":"chat.completion","created":1786506452,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"4"},"finish_reason":"stop"}],"usage":{"prompt_tokens":16,"completion_tokens":2,"total_tokens":18}}"""),
        (_, true) => ReplayResponse.Sse(
            """
            data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1786506452,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"4"},"finish_reason":null}]}

            data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1786506452,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"chatcmpl-2","object":"chat.completion.chunk","created":1786506452,"model":"m","choices":[],"usage":{"prompt_tokens":16,"completion_tokens":2,"total_tokens":18}}

            data: [DONE]


            """),
    };

    private static string Field(string provider) => provider == "vllm" ? "reasoning" : "reasoning_content";
}
