"""Builds the DeepSeek, Qwen and vLLM replay fixtures from the exact shapes in PROTOCOLS.md.

There are no recorded transcripts for these providers; each folder's README.md says where every shape comes from.
Run from anywhere: python3 eng/make-hosted-fixtures.py. Output is deterministic.
"""
import json, os
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'OpenModelClient.Core.Tests', 'Fixtures')

def write(provider, scenario, status, reason, headers, body, request=None, path=None):
    d = os.path.join(root, provider, scenario)
    os.makedirs(d, exist_ok=True)
    if isinstance(body, str):
        body = body.encode('utf-8')
    head = f"HTTP/1.1 {status} {reason}\r\n" + ''.join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    with open(os.path.join(d, 'response.http'), 'wb') as f:
        f.write(head.encode('latin-1') + body)
    if request is not None:
        data = json.dumps(request, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
        with open(os.path.join(d, 'request.json'), 'wb') as f:
            f.write(data)
        with open(os.path.join(d, 'request.http'), 'wb') as f:
            f.write(f"POST {path} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n".encode() + data)

def sse(events, comments_before=None):
    out = ''
    for c in (comments_before or []):
        out += c + '\n\n'
    for e in events:
        if isinstance(e, str) and e.startswith(':'):
            out += e + '\n\n'
        else:
            out += 'data: ' + (e if isinstance(e, str) else json.dumps(e, separators=(',', ':'), ensure_ascii=False)) + '\n\n'
    out += 'data: [DONE]\n\n'
    return out

def js(o):
    return json.dumps(o, separators=(',', ':'), ensure_ascii=False)

SSE_HEADERS = [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache")]

# ---------------- DeepSeek ----------------
ds_trace = [("x-ds-trace-id", "5c1a2b3d4e5f60718293a4b5c6d7e8f9")]
nonstream = '{"id":"48ad6b6e-b2f7-4059-b9cf-aa5d966f8f22","object":"chat.completion","created":1766977481,"model":"deepseek-chat","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today? 😊"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":11,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":10},"system_fingerprint":"fp_eaab8d114b_prod0820_fp8_kvcache"}'
write('deepseek', 'chat-nonstream', 200, 'OK', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(nonstream.encode())))], nonstream)

# V4 thinking reply, cache hits, queued: blank lines before the JSON (rate_limit page).
thinking_body = {"id":"0b7a1c2e-3f4d-4e5a-9b6c-7d8e9f0a1b2c","object":"chat.completion","created":1795000000,"model":"deepseek-flash",
  "choices":[{"index":0,"message":{"role":"assistant","content":"391","reasoning_content":"17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391."},"logprobs":None,"finish_reason":"stop"}],
  "usage":{"prompt_tokens":1200,"completion_tokens":95,"total_tokens":1295,"prompt_tokens_details":{"cached_tokens":1152},"completion_tokens_details":{"reasoning_tokens":81},"prompt_cache_hit_tokens":1152,"prompt_cache_miss_tokens":48},
  "system_fingerprint":"fp_ffc7281d48_prod0820_fp8_kvcache"}
b = "\n\n\n" + js(thinking_body)
write('deepseek', 'chat-thinking-nonstream-queued', 200, 'OK', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(b.encode())))], b)

common = {"object":"chat.completion.chunk","created":1764042665,"model":"deepseek-reasoner","system_fingerprint":"fp_ffc7281d48_prod0820_fp8_kvcache"}
def dchunk(cid, delta, finish=None, usage=None, model=None):
    c = {"id": cid, **common}
    if model: c["model"] = model
    c["choices"] = [{"index":0,"delta":delta,"logprobs":None,"finish_reason":finish}]
    if usage is not None: c["usage"] = usage
    return c
cid = "0e9642e9-6a1d-4d4b-8a57-0d6f3c2e1b11"
events = [
  ": keep-alive", ": keep-alive",
  dchunk(cid, {"role":"assistant","content":None,"reasoning_content":""}),
  dchunk(cid, {"content":None,"reasoning_content":"好的"}),
  dchunk(cid, {"content":None,"reasoning_content":"，用户想要一个字。"}),
  dchunk(cid, {"content":"纱","reasoning_content":None}),
  dchunk(cid, {"content":"","reasoning_content":None}, "stop", {"prompt_tokens":6,"completion_tokens":1552,"total_tokens":1558,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":199},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":6}),
]
write('deepseek', 'chat-reasoning-stream-keepalive', 200, 'OK', SSE_HEADERS + ds_trace, sse(events))

# V4 thinking-mode tool call, streamed (OpenAI fragment pattern, assumed per PROTOCOLS §3.4)
cid = "7f3e2d1c-0b9a-4877-a665-544332211000"
m = "deepseek-flash"
events = [
  dchunk(cid, {"role":"assistant","content":None,"reasoning_content":""}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":"The user wants the weather in Paris. "}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":"I should call get_weather."}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":None,"tool_calls":[{"index":0,"id":"call_00_Xq8vJ2mN4pL6rT0sW3yZ5bC7","type":"function","function":{"name":"get_weather","arguments":""}}]}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":None,"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Pa"}}]}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":None,"tool_calls":[{"index":0,"function":{"arguments":"ris\", \"unit\": \"celsius\"}"}}]}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":None}, "tool_calls", {"prompt_tokens":320,"completion_tokens":41,"total_tokens":361,"prompt_tokens_details":{"cached_tokens":256},"completion_tokens_details":{"reasoning_tokens":18},"prompt_cache_hit_tokens":256,"prompt_cache_miss_tokens":64}, model=m),
]
write('deepseek', 'chat-thinking-tool-call-stream', 200, 'OK', SSE_HEADERS + ds_trace, sse(events))

cid = "8a4f3e2d-1c0b-4988-b776-655443322111"
events = [
  dchunk(cid, {"role":"assistant","content":None,"reasoning_content":""}, model=m),
  dchunk(cid, {"content":None,"reasoning_content":"The tool says 21 °C and sunny."}, model=m),
  dchunk(cid, {"content":"It is sunny and 21 °C in Paris.","reasoning_content":None}, model=m),
  dchunk(cid, {"content":"","reasoning_content":None}, "stop", {"prompt_tokens":380,"completion_tokens":30,"total_tokens":410,"prompt_tokens_details":{"cached_tokens":320},"completion_tokens_details":{"reasoning_tokens":12},"prompt_cache_hit_tokens":320,"prompt_cache_miss_tokens":60}, model=m),
]
write('deepseek', 'chat-thinking-final-stream', 200, 'OK', SSE_HEADERS + ds_trace, sse(events))

# Thinking-mode tool call, non-streamed (message shape of §3.4 plus OpenAI tool_calls)
tool_ns = {"id":"9b5a4f3e-2d1c-4099-8887-766554433222","object":"chat.completion","created":1795000100,"model":"deepseek-flash",
  "choices":[{"index":0,"message":{"role":"assistant","content":"","reasoning_content":"I need the weather tool for Paris.","tool_calls":[{"index":0,"id":"call_00_a1B2c3D4e5F6g7H8i9J0k1L2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}"}}]},"logprobs":None,"finish_reason":"tool_calls"}],
  "usage":{"prompt_tokens":300,"completion_tokens":40,"total_tokens":340,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":10},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":300},
  "system_fingerprint":"fp_ffc7281d48_prod0820_fp8_kvcache"}
b = js(tool_ns)
write('deepseek', 'chat-thinking-tool-call-nonstream', 200, 'OK', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(b.encode())))], b)

cid = "aa6b5c4d-3e2f-4100-9998-877665544333"
events = [
  dchunk(cid, {"role":"assistant","content":"Partial ans","reasoning_content":None}, model=m),
  dchunk(cid, {"content":"wer","reasoning_content":None}, "insufficient_system_resource", {"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}, model=m),
]
write('deepseek', 'chat-insufficient-system-resource-stream', 200, 'OK', SSE_HEADERS + ds_trace, sse(events))

err = js({"error":{"message":"The `reasoning_content` in the thinking mode must be passed back to the API.","type":"invalid_request_error","param":None,"code":"invalid_request_error"}})
write('deepseek', 'error-400-reasoning-content-missing', 400, 'Bad Request', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(err.encode())))], err)
err = js({"error":{"message":"Server is busy, please try again later.","type":"service_unavailable_error","param":None,"code":"service_unavailable"}})
write('deepseek', 'error-503-server-busy', 503, 'Service Unavailable', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(err.encode())))], err)
err = js({"error":{"message":"Insufficient Balance","type":"unknown_error","param":None,"code":"invalid_request_error"}})
write('deepseek', 'error-402-insufficient-balance', 402, 'Payment Required', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(err.encode())))], err)
err = js({"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error","param":None,"code":"invalid_request_error"}})
write('deepseek', 'error-401-authentication', 401, 'Unauthorized', [("Content-Type", "application/json")] + ds_trace + [("Content-Length", str(len(err.encode())))], err)

# ---------------- Qwen ----------------
q = '{"choices":[{"message":{"content":"391","reasoning_content":"Okay, so I need to calculate 17 multiplied by 23…","role":"assistant"},"finish_reason":"stop","index":0,"logprobs":null}],"object":"chat.completion","usage":{"prompt_tokens":24,"completion_tokens":504,"total_tokens":528,"completion_tokens_details":{"reasoning_tokens":496},"prompt_tokens_details":{"cached_tokens":0}},"created":1786506451,"system_fingerprint":null,"model":"qwen-plus","id":"chatcmpl-f5f046ac-bc79-9446-a6d8-73d306abbdc7"}'
qid = [("x-request-id", "f5f046ac-bc79-9446-a6d8-73d306abbdc7")]
write('qwen', 'chat-reasoning-nonstream', 200, 'OK', [("Content-Type", "application/json")] + qid + [("Content-Length", str(len(q.encode())))], q)

trailer = ',"object":"chat.completion.chunk","usage":null,"created":1770764938,"system_fingerprint":null,"model":"qwen3-max","id":"chatcmpl-8e243c57-5b1e-9d3a-a1f4-3c6e2b7d9f10"}'
lines = [
 '{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"call_eee11723464a4b9eb8cee71d","type":"function","function":{"name":"weather","arguments":""}}],"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}]' + trailer,
 '{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":"{\\"location\\": \\"San Francisco"}}]},"finish_reason":null,"index":0,"logprobs":null}]' + trailer,
 '{"choices":[{"delta":{"content":null,"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":"\\"}"}}]},"finish_reason":null,"index":0,"logprobs":null}]' + trailer,
 '{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":""},"index":0,"id":"","type":"function"}]},"index":0}]' + trailer,
 '{"choices":[{"finish_reason":"tool_calls","delta":{},"index":0,"logprobs":null}]' + trailer,
 '{"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":295,"completion_tokens":22,"total_tokens":317,"prompt_tokens_details":{"cached_tokens":0}},"created":1770764938,"system_fingerprint":null,"model":"qwen3-max","id":"chatcmpl-8e243c57-5b1e-9d3a-a1f4-3c6e2b7d9f10"}',
]
write('qwen', 'chat-tool-call-stream', 200, 'OK', SSE_HEADERS + [("x-dashscope-request-id", "8e243c57-5b1e-9d3a-a1f4-3c6e2b7d9f10")], sse(lines))

def qchunk(cid, model, delta, finish=None, usage=None, choices=True):
    c = {"choices": ([{"delta":delta,"finish_reason":finish,"index":0,"logprobs":None}] if choices else []),
         "object":"chat.completion.chunk","usage":usage,"created":1786600000,"system_fingerprint":None,"model":model,"id":cid}
    return c
cid = "chatcmpl-2b1c0d9e-8f7a-9654-b321-0fedcba98765"
qm = "qwen3.5-plus"
events = [
  qchunk(cid, qm, {"role":"assistant","content":None,"reasoning_content":"The user asks for the weather. "}),
  qchunk(cid, qm, {"content":None,"reasoning_content":"I will call get_weather for Paris."}),
  qchunk(cid, qm, {"content":None,"tool_calls":[{"index":0,"id":"call_1f2e3d4c5b6a798897a6b5c4","type":"function","function":{"name":"get_weather","arguments":""}}]}),
  qchunk(cid, qm, {"content":None,"tool_calls":[{"index":0,"id":"","type":"function","function":{"arguments":"{\"city\": \"Paris\", \"unit\": \"celsius\"}"}}]}),
  qchunk(cid, qm, {}, "tool_calls"),
  qchunk(cid, qm, None, usage={"prompt_tokens":310,"completion_tokens":48,"total_tokens":358,"completion_tokens_details":{"reasoning_tokens":30},"prompt_tokens_details":{"cached_tokens":0}}, choices=False),
]
write('qwen', 'chat-thinking-tool-call-stream', 200, 'OK', SSE_HEADERS + [("x-request-id", "2b1c0d9e-8f7a-9654-b321-0fedcba98765")], sse(events))

cid = "chatcmpl-3c2d1e0f-9a8b-9765-c432-10fedcba9876"
events = [
  qchunk(cid, qm, {"role":"assistant","content":None,"reasoning_content":"21 °C and sunny; answer briefly."}),
  qchunk(cid, qm, {"content":"It is sunny and 21 °C in Paris.","reasoning_content":None}),
  qchunk(cid, qm, {}, "stop"),
  qchunk(cid, qm, None, usage={"prompt_tokens":380,"completion_tokens":25,"total_tokens":405,"completion_tokens_details":{"reasoning_tokens":11},"prompt_tokens_details":{"cached_tokens":256}}, choices=False),
]
write('qwen', 'chat-thinking-final-stream', 200, 'OK', SSE_HEADERS + [("x-request-id", "3c2d1e0f-9a8b-9765-c432-10fedcba9876")], sse(events))

cid = "chatcmpl-4d3e2f10-ab9c-9876-d543-210fedcba987"
om = "qwen3-32b"
events = [
  qchunk(cid, om, {"role":"assistant","content":None,"reasoning_content":"Okay, the user said hi. "}),
  qchunk(cid, om, {"content":None,"reasoning_content":"A short greeting back."}),
  qchunk(cid, om, {"content":"Hello! ","reasoning_content":None}),
  qchunk(cid, om, {"content":"How can I help?","reasoning_content":None}),
  qchunk(cid, om, {}, "stop"),
  qchunk(cid, om, None, usage={"prompt_tokens":12,"completion_tokens":40,"total_tokens":52,"completion_tokens_details":{"reasoning_tokens":30},"prompt_tokens_details":{"cached_tokens":0}}, choices=False),
]
write('qwen', 'chat-open-source-thinking-stream', 200, 'OK', SSE_HEADERS + [("x-request-id", "4d3e2f10-ab9c-9876-d543-210fedcba987")], sse(events))

err = '{"error":{"message":"Input data may contain inappropriate content. For details, see: https://help.aliyun.com/zh/model-studio/error-code#inappropriate-content","type":"data_inspection_failed","param":null,"code":"data_inspection_failed"},"id":"chatcmpl-5e4f3a21-bc0d-9987-e654-3210fedcba98","request_id":"5e4f3a21-bc0d-9987-e654-3210fedcba98"}'
write('qwen', 'error-400-data-inspection-failed', 400, 'Bad Request', [("Content-Type", "application/json"), ("Content-Length", str(len(err.encode())))], err)
err = '{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://help.aliyun.com/zh/model-studio/error-code","type":"insufficient_quota","param":null,"code":"insufficient_quota"},"id":"chatcmpl-6f5a4b32-cd1e-9098-f765-43210fedcba9","request_id":"6f5a4b32-cd1e-9098-f765-43210fedcba9"}'
write('qwen', 'error-429-insufficient-quota', 429, 'Too Many Requests', [("Content-Type", "application/json"), ("x-dashscope-request-id", "6f5a4b32-cd1e-9098-f765-43210fedcba9"), ("Content-Length", str(len(err.encode())))], err)
err = '{"error":{"code":"invalid_parameter_error","param":null,"message":"parameter.enable_thinking must be set to false for non-streaming calls","type":"invalid_request_error"},"id":"chatcmpl-7a6b5c43-de2f-9109-a876-543210fedcba","request_id":"7a6b5c43-de2f-9109-a876-543210fedcba"}'
write('qwen', 'error-400-enable-thinking-non-streaming', 400, 'Bad Request', [("Content-Type", "application/json"), ("Content-Length", str(len(err.encode())))], err)
err = '{"error":{"message":"Incorrect API key provided. For details, see: https://help.aliyun.com/zh/model-studio/error-code#apikey-error","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"8b7c6d54-ef30-9210-b987-6543210fedcb"}'
write('qwen', 'error-401-invalid-api-key', 401, 'Unauthorized', [("Content-Type", "application/json"), ("Content-Length", str(len(err.encode())))], err)

# ---------------- vLLM ----------------
vid = "chatcmpl-9c8d7e6f5a4b3c2d1e0f"
vm = "Qwen/Qwen3-8B"
def vchunk(delta, finish=None, usage=None, choices=True):
    c = {"id":vid,"object":"chat.completion.chunk","created":1795100000,"model":vm,
         "choices":([{"index":0,"delta":delta,"logprobs":None,"finish_reason":finish}] if choices else [])}
    if usage is not None: c["usage"] = usage
    return c
events = [
  vchunk({"role":"assistant","content":""}),
  ": keep-alive",
  vchunk({"reasoning":"The user greets me. "}),
  vchunk({"reasoning":"Reply politely."}),
  vchunk({"content":"Hello"}),
  vchunk({"content":"! How can I help?"}),
  vchunk({"content":""}, "stop"),
  vchunk(None, usage={"prompt_tokens":14,"total_tokens":40,"completion_tokens":26,"prompt_tokens_details":None}, choices=False),
]
write('vllm', 'chat-reasoning-stream', 200, 'OK', [("content-type", "text/event-stream; charset=utf-8"), ("x-request-id", "vllm-7d1e2f3a")], sse(events))

ns = {"id":"chatcmpl-0a1b2c3d4e5f6a7b8c9d","object":"chat.completion","created":1795100010,"model":vm,
      "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?","refusal":None,"annotations":None,"audio":None,"function_call":None,"tool_calls":[],"reasoning":"The user greets me. Reply politely."},"logprobs":None,"finish_reason":"stop","stop_reason":None,"token_ids":None}],
      "service_tier":None,"system_fingerprint":None,"usage":{"prompt_tokens":14,"total_tokens":40,"completion_tokens":26,"prompt_tokens_details":None},"prompt_logprobs":None,"prompt_token_ids":None,"kv_transfer_params":None}
b = js(ns)
write('vllm', 'chat-reasoning-nonstream', 200, 'OK', [("content-type", "application/json"), ("content-length", str(len(b.encode())))], b)

events = [
  vchunk({"role":"assistant","content":""}),
  vchunk({"reasoning":"Need the weather tool."}),
  vchunk({"tool_calls":[{"id":"chatcmpl-tool-4e5f6a7b8c9d0e1f","type":"function","index":0,"function":{"name":"get_weather","arguments":""}}]}),
  vchunk({"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Tokyo\", "}}]}),
  vchunk({"tool_calls":[{"index":0,"function":{"arguments":"\"unit\": \"celsius\"}"}}]}),
  vchunk({"content":""}, "tool_calls"),
  vchunk(None, usage={"prompt_tokens":200,"total_tokens":230,"completion_tokens":30}, choices=False),
]
write('vllm', 'chat-tool-call-stream', 200, 'OK', [("content-type", "text/event-stream; charset=utf-8")], sse(events))

err = js({"object":"error","message":"The model `gpt-4` does not exist.","type":"NotFoundError","param":None,"code":404})
write('vllm', 'error-404-model-flat', 404, 'Not Found', [("content-type", "application/json"), ("content-length", str(len(err.encode())))], err)
err = js({"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":None,"code":400}})
write('vllm', 'error-400-context-nested', 400, 'Bad Request', [("content-type", "application/json"), ("content-length", str(len(err.encode())))], err)
body = sse([vchunk({"role":"assistant","content":""}), vchunk({"content":"Partial"})]).replace('data: [DONE]\n\n', '') + 'data: ' + js({"error":{"message":"CUDA out of memory","type":"InternalServerError","param":None,"code":500}}) + '\n\ndata: [DONE]\n\n'
write('vllm', 'error-in-stream', 200, 'OK', [("content-type", "text/event-stream; charset=utf-8")], body)
print("ok")
