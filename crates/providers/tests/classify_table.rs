//! Table tests for error classification: real error bodies and messages from the servers and providers
//! clawgate fronts, transport failures, finish reasons, overflow token counts and retry-after headers.
//! Every row names its source; wordings are the servers' own.

use std::io::ErrorKind;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use llm::FailoverReason::{self, *};
use providers::classify::{
    classify, classify_finish_reason, parse_context_overflow_tokens, retry_after, BodyFailure, ErrorSignal,
    TransportFailure,
};

/// One failed call: what came back and what it must be classified as.
struct Row {
    source: &'static str,
    status: Option<u16>,
    provider: Option<&'static str>,
    body: &'static str,
    expected: FailoverReason,
}

/// An HTTP error response.
const fn http(source: &'static str, status: u16, body: &'static str, expected: FailoverReason) -> Row {
    Row { source, status: Some(status), provider: None, body, expected }
}

/// An error with no HTTP status: a thrown message, a wrapper's text.
const fn text(source: &'static str, body: &'static str, expected: FailoverReason) -> Row {
    Row { source, status: None, provider: None, body, expected }
}

impl Row {
    const fn via(self, provider: &'static str) -> Row {
        Row { provider: Some(provider), ..self }
    }
}

const ROWS: &[Row] = &[
    // ── OpenAI ──────────────────────────────────────────────────────────────────────────────────
    http(
        "OpenAI 429 TPM rate limit",
        429,
        r#"{"error":{"message":"Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29500, Requested 1200. Please try again in 1.4s. Visit https://platform.openai.com/account/rate-limits to learn more.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"#,
        RateLimit,
    ),
    http(
        "OpenAI 429 insufficient_quota",
        429,
        r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
        Billing,
    ),
    http(
        "OpenAI 401 invalid api key",
        401,
        r#"{"error":{"message":"Incorrect API key provided: sk-proj-********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
        Auth,
    ),
    http(
        "OpenAI 401 account deactivated",
        401,
        r#"{"error":{"message":"Your OpenAI account has been deactivated, please check your email for more information. If you feel this is an error, contact us through our help center at help.openai.com.","type":"invalid_request_error","code":"account_deactivated","param":null}}"#,
        AuthPermanent,
    ),
    http(
        "OpenAI 404 model does not exist",
        404,
        r#"{"error":{"message":"The model `gpt-5-turbo` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
        ModelNotFound,
    ),
    http(
        "OpenAI 400 context_length_exceeded",
        400,
        r#"{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
        ContextOverflow,
    ),
    http(
        "OpenAI 400 configured input limit",
        400,
        r#"{"error":{"message":"Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 300007 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
        ContextOverflow,
    ),
    http(
        "OpenAI 500 server_error",
        500,
        r#"{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}"#,
        ServerError,
    ),
    http(
        "OpenAI 503 engine overloaded",
        503,
        r#"{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}"#,
        Overloaded,
    ),
    http(
        "OpenAI 400 content_policy_violation",
        400,
        r#"{"error":{"message":"Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}"#,
        ContentFilter,
    ),
    http(
        "OpenAI 400 reasoning prompt flagged",
        400,
        r#"{"error":{"message":"Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt: https://platform.openai.com/docs/guides/reasoning#advice-on-prompting","type":"invalid_request_error","param":null,"code":"invalid_prompt"}}"#,
        ContentFilter,
    ),
    http(
        "OpenAI 403 unsupported region",
        403,
        r#"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}"#,
        Auth,
    ),
    http(
        "OpenAI-compatible 403 revoked key",
        403,
        r#"{"error":{"message":"This API key has been revoked. Create a new key to continue.","type":"invalid_request_error","code":"invalid_api_key"}}"#,
        AuthPermanent,
    ),
    http(
        "OpenAI 400 unrecognised request error",
        400,
        r#"{"error":{"message":"Invalid value for 'tool_choice': 'auto' is not supported with this model.","type":"invalid_request_error","param":"tool_choice","code":null}}"#,
        Format,
    ),
    // ── Anthropic ───────────────────────────────────────────────────────────────────────────────
    http(
        "Anthropic 529 overloaded_error",
        529,
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        Overloaded,
    ),
    http(
        "Anthropic 400 prompt is too long",
        400,
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 215000 tokens > 200000 maximum"}}"#,
        ContextOverflow,
    ),
    http(
        "Anthropic 400 input + max_tokens over the limit",
        400,
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000, decrease input length or `max_tokens` and try again"}}"#,
        ContextOverflow,
    ),
    http(
        "Anthropic 413 request_too_large",
        413,
        r#"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}"#,
        ContextOverflow,
    ),
    http(
        "Anthropic 429 input tokens per minute",
        429,
        r#"{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (8f2c) of 40,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later."}}"#,
        RateLimit,
    ),
    http(
        "Anthropic 400 credit balance too low",
        400,
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"#,
        Billing,
    ),
    http(
        "Anthropic 401 invalid x-api-key",
        401,
        r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
        Auth,
    ),
    http(
        "Anthropic 404 not_found_error",
        404,
        r#"{"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus-99"}}"#,
        ModelNotFound,
    ),
    http(
        "Anthropic 500 api_error",
        500,
        r#"{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#,
        Timeout,
    ),
    http(
        "Anthropic 400 output blocked",
        400,
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}}"#,
        ContentFilter,
    ),
    http(
        "Anthropic SSE error event inside a 200 stream",
        200,
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
        Overloaded,
    ),
    // ── OpenRouter ──────────────────────────────────────────────────────────────────────────────
    http(
        "OpenRouter 402 more credits",
        402,
        r#"{"error":{"code":402,"message":"This request requires more credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 1000. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account"}}"#,
        Billing,
    )
    .via("openrouter"),
    http(
        "OpenRouter 403 key limit exceeded",
        403,
        r#"{"error":{"code":403,"message":"Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys"}}"#,
        Billing,
    )
    .via("openrouter"),
    http(
        "OpenRouter 502 provider returned error",
        502,
        r#"{"error":{"message":"Provider returned error","code":502,"metadata":{"raw":"upstream connect error or disconnect/reset before headers. reset reason: connection termination","provider_name":"DeepInfra"}}}"#,
        Timeout,
    )
    .via("openrouter"),
    http(
        "OpenRouter 429 inside a 200 completion",
        200,
        r#"{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"error code: 1015","provider_name":"Kluster"}}}"#,
        RateLimit,
    )
    .via("openrouter"),
    http(
        "OpenRouter 429 free-model daily limit",
        429,
        r#"{"error":{"message":"Rate limit exceeded: limit_rpd/google/gemini-2.0-flash-thinking-exp-01-21/54276bca-abd7-4aa6-a6b5-1b8f898f1395","code":429,"metadata":{"headers":{"X-RateLimit-Limit":"80","X-RateLimit-Remaining":"0","X-RateLimit-Reset":"1741305600000"}}}}"#,
        RateLimit,
    )
    .via("openrouter"),
    http(
        "OpenRouter 404 no endpoints",
        404,
        r#"{"error":{"message":"No endpoints found for meta-llama/llama-5-400b.","code":404}}"#,
        ModelNotFound,
    )
    .via("openrouter"),
    http(
        "OpenRouter 400 upstream overflow in metadata.raw",
        400,
        r#"{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"{\"error\":{\"message\":\"This model's maximum context length is 131072 tokens. However, you requested 140000 tokens (136000 in the messages, 4000 in the completion). Please reduce the length of the messages or completion.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}","provider_name":"DeepInfra"}}}"#,
        ContextOverflow,
    )
    .via("openrouter"),
    http(
        "OpenRouter 403 moderation flag",
        403,
        r#"{"error":{"code":403,"message":"anthropic/claude-3-opus requires moderation on OpenRouter. Your input was flagged for \"violence/graphic\". No credits were charged.","metadata":{"reasons":["violence/graphic"],"flagged_input":"...","provider_name":"Anthropic"}}}"#,
        ContentFilter,
    )
    .via("openrouter"),
    http(
        "OpenRouter 401 no auth credentials",
        401,
        r#"{"error":{"message":"No auth credentials found","code":401}}"#,
        Auth,
    )
    .via("openrouter"),
    text("OpenRouter bare provider error", "Provider returned error", Timeout).via("openrouter"),
    // ── Groq, Mistral, DeepSeek ─────────────────────────────────────────────────────────────────
    http(
        "Groq 429 tokens per minute",
        429,
        r#"{"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5512, Requested 1206. Please try again in 7.18s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}"#,
        RateLimit,
    ),
    http(
        "Groq 413 request too large for TPM",
        413,
        r#"{"error":{"message":"Request too large for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested 9012, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}"#,
        RateLimit,
    ),
    http(
        "Groq 400 model decommissioned",
        400,
        r#"{"error":{"message":"The model `mixtral-8x7b-32768` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.","type":"invalid_request_error","code":"model_decommissioned"}}"#,
        ModelNotFound,
    ),
    http(
        "Mistral 429 rate limited",
        429,
        r#"{"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}"#,
        RateLimit,
    ),
    http(
        "Mistral 400 prompt too large for model",
        400,
        r#"{"object":"error","message":"Prompt contains 40500 tokens and 0 draft tokens, too large for model with 32768 maximum context length","type":"invalid_request_error","param":null,"code":null}"#,
        ContextOverflow,
    ),
    http("Mistral 401 unauthorized", 401, r#"{"message":"Unauthorized","request_id":"8f2c1e0a9b"}"#, Auth),
    http(
        "DeepSeek 402 insufficient balance",
        402,
        r#"{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}"#,
        Billing,
    ),
    // ── Google Gemini ───────────────────────────────────────────────────────────────────────────
    http(
        "Google 429 RESOURCE_EXHAUSTED",
        429,
        r#"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
        RateLimit,
    ),
    http(
        "Google 429 quota metric (array body)",
        429,
        r#"[{"error":{"code":429,"message":"Quota exceeded for quota metric 'Generate Content API requests per minute' and limit 'GenerateContent request limit per minute for a region' of service 'generativelanguage.googleapis.com' for consumer 'project_number:123'.","status":"RESOURCE_EXHAUSTED"}}]"#,
        RateLimit,
    ),
    http(
        "Google 400 API key not valid",
        400,
        r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#,
        Auth,
    ),
    http(
        "Google 503 model overloaded",
        503,
        r#"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#,
        Overloaded,
    ),
    http(
        "Google 400 input token count",
        400,
        r#"{"error":{"code":400,"message":"The input token count (1294573) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#,
        ContextOverflow,
    ),
    http(
        "Google 404 model not found for API version",
        404,
        r#"{"error":{"code":404,"message":"models/gemini-1.0-ultra is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}"#,
        ModelNotFound,
    ),
    http(
        "Google 500 INTERNAL",
        500,
        r#"{"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}"#,
        Timeout,
    ),
    // ── AWS Bedrock, Azure OpenAI ───────────────────────────────────────────────────────────────
    http(
        "Bedrock 429 ThrottlingException",
        429,
        r#"{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Too many requests, please wait before trying again."}"#,
        RateLimit,
    ),
    http("Bedrock 400 input too long", 400, r#"{"message":"Input is too long for requested model."}"#, ContextOverflow),
    http(
        "Bedrock 429 ModelNotReadyException",
        429,
        r#"{"__type":"ModelNotReadyException","message":"Model is not ready for inference. Wait and try your request again."}"#,
        Overloaded,
    ),
    http(
        "Bedrock 503 service unavailable",
        503,
        r#"{"message":"Bedrock is unable to process your request."}"#,
        Timeout,
    ),
    http(
        "Azure 400 content_filter / ResponsibleAIPolicyViolation",
        400,
        r#"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}}}"#,
        ContentFilter,
    ),
    http(
        "Azure 429 token rate limit",
        429,
        r#"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}"#,
        RateLimit,
    ),
    // ── llama-cpp-python server (recorded with scripts/real-llama-cpp.sh, v0.3.36) ───────────────
    http(
        "llama-cpp-python 400 context length exceeded (recorded)",
        400,
        r#"{"error":{"message":"This model's maximum context length is 2048 tokens. However, you requested 3036 tokens (3031 in the messages, 5 in the completion). Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
        ContextOverflow,
    ),
    http(
        "llama-cpp-python 500 for content parts (recorded)",
        500,
        r#"{"error":{"message":"can only concatenate str (not \"list\") to str","type":"internal_server_error","param":null,"code":null}}"#,
        ServerError,
    ),
    // ── LM Studio ───────────────────────────────────────────────────────────────────────────────
    text(
        "LM Studio model crash mid-load",
        "The model has crashed without additional information. (Exit code: 18446744072635812000)",
        ServerError,
    ),
    http(
        "LM Studio 400 keep first N tokens",
        400,
        r#"{"error":"Trying to keep the first 14538 tokens when context the overflows. However, the model is loaded with context length of only 2048 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input"}"#,
        ContextOverflow,
    ),
    http(
        "LM Studio 400 tokens to keep > context length",
        400,
        r#"{"error":"The number of tokens to keep from the initial prompt is greater than the context length. Try to load the model with a larger context length, or provide a shorter input"}"#,
        ContextOverflow,
    ),
    http(
        "LM Studio 400 n_keep >= n_ctx",
        400,
        r#"{"error":"Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)"}"#,
        ContextOverflow,
    ),
    http(
        "LM Studio 400 reached context length mid-generation",
        400,
        r#"{"error":"Reached context length of 32000 tokens with model (arch: gpt-oss) that does not currently support mid-generation context overflow. Try reloading with a larger context length or shortening the prompt/chat."}"#,
        ContextOverflow,
    ),
    http(
        "LM Studio 404 no models loaded (code model_not_found)",
        404,
        r#"{"error":{"message":"No models loaded. Please load a model in the developer page or use the `lms load` command.","type":"invalid_request_error","param":"model","code":"model_not_found"}}"#,
        ModelLoading,
    ),
    http(
        "LM Studio 404 JIT load failed (insufficient resources)",
        404,
        r#"{"error":{"message":"Failed to load model \"bartowski/Phi-3.1-mini-128k-instruct-GGUF\". Error: Model loading aborted due to insufficient system resources. Overloading the system will likely cause it to freeze. If you believe this is a mistake, you can try to change the model loading guardrails in the settings.","type":"invalid_request_error","param":"model","code":"model_not_found"}}"#,
        ServerError,
    ),
    http(
        "LM Studio 200 wrong endpoint (base URL without /v1)",
        200,
        r#"{"error":"Unexpected endpoint or method. (POST /chat/completions)"}"#,
        Format,
    ),
    // ── llama.cpp server ────────────────────────────────────────────────────────────────────────
    http(
        "llama.cpp 400 exceed_context_size_error",
        400,
        r#"{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}"#,
        ContextOverflow,
    ),
    http(
        "llama.cpp 400 older context size wording",
        400,
        r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"invalid_request_error"}}"#,
        ContextOverflow,
    ),
    http(
        "llama.cpp 503 Loading model",
        503,
        r#"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#,
        ModelLoading,
    ),
    http(
        "llama.cpp 503 no slot available",
        503,
        r#"{"error":{"code":503,"message":"no slot available","type":"unavailable_error"}}"#,
        Overloaded,
    ),
    http(
        "llama.cpp 500 context shift is disabled",
        500,
        r#"{"error":{"code":500,"message":"context shift is disabled","type":"server_error"}}"#,
        ContextOverflow,
    ),
    http(
        "llama.cpp 401 invalid api key",
        401,
        r#"{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}"#,
        Auth,
    ),
    http(
        "llama.cpp 501 not supported",
        501,
        r#"{"error":{"code":501,"message":"This server does not support embeddings. Start it with `--embeddings`","type":"not_supported_error"}}"#,
        Format,
    ),
    // ── vLLM, SGLang, TGI ───────────────────────────────────────────────────────────────────────
    http(
        "vLLM 400 maximum context length (requested)",
        400,
        r#"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}"#,
        ContextOverflow,
    ),
    http(
        "vLLM 400 output + input tokens",
        400,
        r#"{"error":{"message":"This model's maximum context length is 8192 tokens. However, you requested 64 output tokens and your prompt contains at least 8129 input tokens, for a total of at least 8193 tokens. Please reduce the length of the input prompt or the number of requested output tokens. (parameter=input_tokens, value=8129)","type":"BadRequestError","param":"input_tokens","code":400}}"#,
        ContextOverflow,
    ),
    http(
        "vLLM 400 decoder prompt longer than max model length",
        400,
        r#"{"object":"error","message":"The decoder prompt (length 12324) is longer than the maximum model length of 8192. Make sure that `max_model_len` is no smaller than the number of text tokens.","type":"BadRequestError","param":null,"code":400}"#,
        ContextOverflow,
    ),
    http(
        "vLLM 404 model does not exist",
        404,
        r#"{"object":"error","message":"The model `Qwen/Qwen3-8B` does not exist.","type":"NotFoundError","param":null,"code":404}"#,
        ModelNotFound,
    ),
    http(
        "vLLM 500 CUDA out of memory",
        500,
        r#"{"object":"error","message":"CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.65 GiB of which 1.12 GiB is free.","type":"InternalServerError","param":null,"code":500}"#,
        ServerError,
    ),
    http(
        "vLLM 422 FastAPI validation",
        422,
        r#"{"detail":[{"type":"missing","loc":["body","messages"],"msg":"Field required","input":{"model":"qwen"}}]}"#,
        Format,
    ),
    http(
        "SGLang 400 input longer than context length",
        400,
        r#"{"object":"error","message":"The input (8500 tokens) is longer than the model's context length (8192 tokens).","type":"BadRequestError","param":null,"code":400}"#,
        ContextOverflow,
    ),
    http(
        "Hugging Face TGI 503 model currently loading",
        503,
        r#"{"error":"Model meta-llama/Llama-3.1-8B-Instruct is currently loading","estimated_time":20.0}"#,
        ModelLoading,
    ),
    http(
        "Hugging Face TGI 429 queue full",
        429,
        r#"{"error":"Model is overloaded","error_type":"overloaded"}"#,
        RateLimit,
    ),
    // ── Ollama ──────────────────────────────────────────────────────────────────────────────────
    http(
        "Ollama 404 model not found, pull it",
        404,
        r#"{"error":"model \"qwen3:30b\" not found, try pulling it first"}"#,
        ModelNotFound,
    ),
    http(
        "Ollama 503 server busy (queue full)",
        503,
        r#"{"error":"server busy, please try again.  maximum pending requests exceeded"}"#,
        Overloaded,
    ),
    http(
        "Ollama 500 llama runner terminated",
        500,
        r#"{"error":"llama runner process has terminated: exit status 2"}"#,
        ServerError,
    ),
    http(
        "Ollama 500 not enough memory for the model",
        500,
        r#"{"error":"model requires more system memory (30.4 GiB) than is available (12.0 GiB)"}"#,
        ServerError,
    ),
    http(
        "Ollama 400 input longer than context",
        400,
        r#"{"error":"the input length exceeds the context length"}"#,
        ContextOverflow,
    ),
    http(
        "Ollama 400 model does not support tools",
        400,
        r#"{"error":"registry.ollama.ai/library/gemma:2b does not support tools"}"#,
        Format,
    ),
    http(
        "Ollama NDJSON error line inside a 200 stream",
        200,
        r#"{"error":"an error was encountered while running the model: unexpected EOF"}"#,
        Timeout,
    ),
    text("Ollama stream without final chunk (#100460)", "Ollama API stream ended without a final response", Timeout),
    text("Ollama overflow via wrapper", "ollama error: context length exceeded, too many tokens", ContextOverflow),
    // ── LiteLLM proxy ───────────────────────────────────────────────────────────────────────────
    http(
        "LiteLLM 429 RateLimitError",
        429,
        r#"{"error":{"message":"litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached for gpt-4o in organization org-abc on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.\nReceived Model Group=gpt-4o\nAvailable Model Group Fallbacks=None","type":"throttling_error","param":null,"code":"429"}}"#,
        RateLimit,
    ),
    http(
        "LiteLLM 400 ContextWindowExceededError",
        400,
        r#"{"error":{"message":"litellm.ContextWindowExceededError: litellm.BadRequestError: ContextWindowExceededError: OpenAIException - This model's maximum context length is 65536 tokens. However, you requested 16 output tokens and your prompt contains at least 65521 input tokens, for a total of at least 65537 tokens.","type":null,"param":null,"code":"400"}}"#,
        ContextOverflow,
    ),
    http(
        "LiteLLM 500 APIConnectionError to Ollama",
        500,
        r#"{"error":{"message":"litellm.APIConnectionError: OllamaException - [Errno 111] Connection refused","type":null,"param":null,"code":"500"}}"#,
        Timeout,
    ),
    http(
        "LiteLLM 400 wrapped Anthropic usage limit",
        400,
        r#"{"error":{"message":"litellm.BadRequestError: AnthropicException - b'{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"You have reached your specified API usage limits. You will regain access on 2026-09-01 at 00:00 UTC.\"},\"request_id\":\"req_011CeDfeyYs7N6neZrLwFxPJ\"}'. Received Model Group=claude-haiku-4-5-20251001\nAvailable Model Group Fallbacks=None","type":null,"param":null,"code":"400"}}"#,
        RateLimit,
    ),
    http(
        "LiteLLM 400 virtual key budget exceeded",
        400,
        r#"{"error":{"message":"Budget has been exceeded! Current cost: 10.25, Max budget: 10.0","type":"budget_exceeded","param":null,"code":"400"}}"#,
        Billing,
    ),
    http(
        "LiteLLM 429 router cooldown",
        429,
        r#"{"error":{"message":"No deployments available for selected model, Try again in 60 seconds. Passed model=gpt-4o. pre-call-checks=False, allowed_model_region=n/a","type":"None","param":"None","code":"429"}}"#,
        RateLimit,
    ),
    http(
        "LiteLLM 400 ContentPolicyViolationError",
        400,
        r#"{"error":{"message":"litellm.ContentPolicyViolationError: litellm.ContentPolicyViolationError: AzureException - The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":null,"code":"400"}}"#,
        ContentFilter,
    ),
    // ── Gateways, proxies and empty answers ─────────────────────────────────────────────────────
    http(
        "GitHub Copilot 400 model_not_supported (#64840)",
        400,
        r#"{"error":{"message":"The requested model is not supported.","code":"model_not_supported","param":"model","type":"invalid_request_error"}}"#,
        ModelNotFound,
    ),
    http(
        "Gateway 500 upstream_error (#95519)",
        500,
        r#"{"error":{"message":"Upstream request failed","type":"upstream_error","code":"upstream_error"}}"#,
        ServerError,
    ),
    http(
        "nginx 502 HTML page",
        502,
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n",
        Timeout,
    ),
    http(
        "Cloudflare 524 HTML page",
        524,
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>api.example.com | 524: A timeout occurred</title></head><body><h1>A timeout occurred</h1></body></html>",
        Timeout,
    ),
    http("503 without body", 503, "", Timeout),
    http("408 request timeout, empty body", 408, "", Timeout),
    http("410 gone, empty body", 410, "", Timeout),
    http("500 plain text", 500, "Internal Server Error", Timeout),
    http("200 with empty body", 200, "", EmptyResponse),
    http("400 with empty body", 400, "   ", EmptyResponse),
    http("402 plain payment required", 402, "Payment Required", Billing),
    http(
        "402 with a resetting usage window",
        402,
        r#"{"error":{"message":"Daily usage limit reached for your plan. Your limit resets at 00:00 UTC; please try again later."}}"#,
        RateLimit,
    ),
    // ── Thrown messages: stream wrappers, SDKs, transport ───────────────────────────────────────
    text("pi-ai stream wrapper, bare unknown error", "An unknown error occurred", Timeout),
    text("OpenClaw formatted unknown error", "LLM request failed with an unknown error.", Unclassified),
    text("explicit no error details", "Unknown error (no error details in response)", NoErrorDetails),
    text("finish_reason error", "Provider finish_reason: error", ServerError),
    text("unhandled stop reason network_error", "Unhandled stop reason: network_error", Timeout),
    text("stop reason malformed_response", "stop reason: malformed_response", Timeout),
    text("Node fetch, local box down", "connect ECONNREFUSED 127.0.0.1:11434", Timeout),
    text("Node fetch failed", "fetch failed", Timeout),
    text("undici terminated", "terminated", Timeout),
    text("Node DNS failure", "getaddrinfo ENOTFOUND llm.internal.example", Timeout),
    text("stream_read_error (#79689)", "stream_read_error", Timeout),
    text(
        "reqwest connection refused",
        "error sending request for url (http://127.0.0.1:1234/v1/chat/completions): client error (Connect): tcp connect error: Connection refused (os error 111)",
        Timeout,
    ),
    text("status-only message", "503 Service Unavailable", Timeout),
    text("leading 529", "529 {\"type\":\"error\"}", Overloaded),
    text("CLI session gone", "Error: Session not found: 7f3a", SessionExpired),
];

#[test]
fn real_world_errors_classify_as_expected() {
    let failures: Vec<String> = ROWS
        .iter()
        .filter_map(|row| {
            let signal = ErrorSignal::from_body(row.status, row.body, row.provider);
            let got = classify(&signal);
            (got != row.expected)
                .then(|| format!("{}: expected {}, got {} from {signal:?}", row.source, row.expected, got))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} rows wrong:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
}

#[test]
fn the_table_is_large_and_labelled() {
    assert!(ROWS.len() >= 60, "only {} rows", ROWS.len());
    let mut sources: Vec<&str> = ROWS.iter().map(|row| row.source).collect();
    sources.sort_unstable();
    sources.dedup();
    assert_eq!(sources.len(), ROWS.len(), "row names must be unique");
}

#[test]
fn message_only_signal_matches_body_signal() {
    let signal = ErrorSignal::from_message("prompt is too long: 215000 tokens > 200000 maximum");
    assert_eq!(signal.classify(), ContextOverflow);
    let signal = ErrorSignal::from_message("Provider returned error");
    assert_eq!(signal.classify(), Unclassified, "only OpenRouter's wrapper text is a transient");
    assert_eq!(signal.with_provider("openrouter").classify(), Timeout);
}

// ── Transport failures ──────────────────────────────────────────────────────────────────────────

const TRANSPORT_FAILURES: &[TransportFailure] = &[
    TransportFailure::ConnectRefused,
    TransportFailure::Unreachable,
    TransportFailure::Dns,
    TransportFailure::Tls,
    TransportFailure::ConnectTimeout,
    TransportFailure::ResetBeforeHeaders,
    TransportFailure::ResetAfterHeaders,
    TransportFailure::HeadersTimeout,
    TransportFailure::FirstTokenTimeout,
    TransportFailure::IdleTimeout,
    TransportFailure::TotalTimeout,
    TransportFailure::StreamEndedWithoutTerminal,
    TransportFailure::MalformedChunk,
    TransportFailure::Body(BodyFailure::Decompression),
    TransportFailure::Body(BodyFailure::Framing),
    TransportFailure::Body(BodyFailure::Read),
];

#[test]
fn every_transport_failure_is_a_failover_eligible_timeout() {
    for failure in TRANSPORT_FAILURES {
        assert_eq!(failure.reason(), Timeout, "{failure:?}");
        assert!(failure.reason().advances_chain(), "{failure:?}");
        assert!(!failure.describe().is_empty() && failure.to_string() == failure.describe());
    }
    let mut names: Vec<&str> = TRANSPORT_FAILURES.iter().map(|f| f.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), TRANSPORT_FAILURES.len(), "names must be distinct");
}

#[test]
fn transport_failures_know_whether_a_response_had_started() {
    use TransportFailure::*;
    for failure in [ConnectRefused, Unreachable, Dns, Tls, ConnectTimeout, ResetBeforeHeaders, HeadersTimeout]
    {
        assert!(failure.before_response(), "{failure:?}");
    }
    for failure in
        [ResetAfterHeaders, FirstTokenTimeout, IdleTimeout, StreamEndedWithoutTerminal, MalformedChunk]
    {
        assert!(!failure.before_response(), "{failure:?}");
    }
}

#[test]
fn io_errors_map_to_transport_failures() {
    use TransportFailure::*;
    let before_headers = [
        (ErrorKind::ConnectionRefused, Some(ConnectRefused)),
        (ErrorKind::HostUnreachable, Some(Unreachable)),
        (ErrorKind::NetworkUnreachable, Some(Unreachable)),
        (ErrorKind::ConnectionReset, Some(ResetBeforeHeaders)),
        (ErrorKind::BrokenPipe, Some(ResetBeforeHeaders)),
        (ErrorKind::UnexpectedEof, Some(ResetBeforeHeaders)),
        (ErrorKind::TimedOut, Some(ConnectTimeout)),
        (ErrorKind::PermissionDenied, None),
        (ErrorKind::Other, None),
    ];
    for (kind, expected) in before_headers {
        assert_eq!(TransportFailure::from_io_error_kind(kind), expected, "{kind:?}");
    }
    let in_body = [
        (ErrorKind::ConnectionReset, Some(ResetAfterHeaders)),
        (ErrorKind::UnexpectedEof, Some(StreamEndedWithoutTerminal)),
        (ErrorKind::TimedOut, Some(IdleTimeout)),
        (ErrorKind::InvalidData, Some(MalformedChunk)),
        (ErrorKind::NotFound, None),
    ];
    for (kind, expected) in in_body {
        assert_eq!(TransportFailure::from_io_error_kind_in_body(kind), expected, "{kind:?}");
    }
}

// ── Finish reasons ──────────────────────────────────────────────────────────────────────────────

#[test]
fn finish_reasons() {
    let table = [
        ("error", Some(ServerError)),
        ("abort", Some(Timeout)),
        ("aborted", Some(Timeout)),
        ("network_error", Some(Timeout)),
        ("malformed_response", Some(Timeout)),
        ("content_filter", Some(ContentFilter)),
        ("SAFETY", Some(ContentFilter)),
        ("refusal", Some(Refusal)),
        ("model_context_window_exceeded", Some(ContextOverflow)),
        ("stop", None),
        ("length", None),
        ("tool_calls", None),
        ("end_turn", None),
    ];
    for (finish_reason, expected) in table {
        assert_eq!(classify_finish_reason(finish_reason), expected, "{finish_reason}");
    }
}

// ── Overflow token counts ───────────────────────────────────────────────────────────────────────

#[test]
fn overflow_token_counts() {
    let table: &[(&str, Option<(u64, u64)>)] = &[
        (
            "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).",
            Some((5000, 4096)),
        ),
        (
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
            Some((130_532, 128_000)),
        ),
        (
            "This model's maximum context length is 8192 tokens. However, you requested 64 output tokens and your prompt contains at least 8129 input tokens, for a total of at least 8193 tokens.",
            Some((8193, 8192)),
        ),
        (
            "'max_tokens' is too large: 16384. This model's maximum context length is 262144 tokens and your request has 246773 input tokens (16384 > 262144 - 246773).",
            Some((263_157, 262_144)),
        ),
        ("prompt is too long: 215000 tokens > 200000 maximum", Some((215_000, 200_000))),
        ("prompt is too long: 215,000 tokens > 200,000 maximum", Some((215_000, 200_000))),
        (
            "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000, decrease input length or `max_tokens` and try again",
            Some((206_192, 200_000)),
        ),
        (
            "request (4476 tokens) exceeds the available context size (4096 tokens), try increasing it",
            Some((4476, 4096)),
        ),
        (
            "Trying to keep the first 14538 tokens when context the overflows. However, the model is loaded with context length of only 2048 tokens, which is not enough.",
            Some((14_538, 2048)),
        ),
        ("Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)", Some((15_028, 7424))),
        (
            "The decoder prompt (length 12324) is longer than the maximum model length of 8192.",
            Some((12_324, 8192)),
        ),
        (
            "Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 300007 tokens.",
            Some((300_007, 272_000)),
        ),
        (
            "The input token count (1294573) exceeds the maximum number of tokens allowed (1048576).",
            Some((1_294_573, 1_048_576)),
        ),
        (
            "Prompt contains 40500 tokens and 0 draft tokens, too large for model with 32768 maximum context length",
            Some((40_500, 32_768)),
        ),
        ("the request exceeds the available context size, try increasing it", None),
        ("context shift is disabled", None),
        ("Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000, Requested 50000.", None),
    ];
    for (message, expected) in table {
        assert_eq!(parse_context_overflow_tokens(message), *expected, "{message}");
    }
}

// ── Retry-After ─────────────────────────────────────────────────────────────────────────────────

/// 2024-01-01T00:00:00Z.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_704_067_200)
}

#[test]
fn retry_after_seconds_and_milliseconds() {
    assert_eq!(retry_after(&[("Retry-After", "7")], now()), Some(Duration::from_secs(7)));
    assert_eq!(retry_after(&[("retry-after", "1.5")], now()), Some(Duration::from_millis(1500)));
    assert_eq!(
        retry_after(&[("retry-after", "30"), ("retry-after-ms", "1250")], now()),
        Some(Duration::from_millis(1250)),
        "retry-after-ms is the more precise of the two"
    );
    assert_eq!(retry_after(&[("retry-after", "-3")], now()), None);
    assert_eq!(retry_after(&[("content-type", "application/json")], now()), None);
    let empty: &[(&str, &str)] = &[];
    assert_eq!(retry_after(empty, now()), None);
}

#[test]
fn retry_after_http_date() {
    let headers = [("Retry-After", "Mon, 01 Jan 2024 00:01:30 GMT")];
    assert_eq!(retry_after(&headers, now()), Some(Duration::from_secs(90)));
    let past = [("Retry-After", "Sun, 31 Dec 2023 23:00:00 GMT")];
    assert_eq!(retry_after(&past, now()), Some(Duration::ZERO));
    assert_eq!(retry_after(&[("Retry-After", "whenever")], now()), None);
}

#[test]
fn retry_after_openai_rate_limit_resets() {
    let tokens_exhausted = [
        ("x-ratelimit-remaining-requests", "499"),
        ("x-ratelimit-reset-requests", "120ms"),
        ("x-ratelimit-remaining-tokens", "0"),
        ("x-ratelimit-reset-tokens", "6m0s"),
    ];
    assert_eq!(retry_after(&tokens_exhausted, now()), Some(Duration::from_secs(360)));
    let requests_exhausted = [
        ("x-ratelimit-remaining-requests", "0"),
        ("x-ratelimit-reset-requests", "1s"),
        ("x-ratelimit-remaining-tokens", "29000"),
        ("x-ratelimit-reset-tokens", "2m"),
    ];
    assert_eq!(retry_after(&requests_exhausted, now()), Some(Duration::from_secs(1)));
    let unknown_remaining = vec![("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "7.66s")];
    assert_eq!(retry_after(&unknown_remaining, now()), Some(Duration::from_millis(7660)));
}

#[test]
fn retry_after_anthropic_and_openrouter_resets() {
    let anthropic = [
        ("anthropic-ratelimit-requests-remaining", "0"),
        ("anthropic-ratelimit-requests-reset", "2024-01-01T00:00:45Z"),
    ];
    assert_eq!(retry_after(&anthropic, now()), Some(Duration::from_secs(45)));
    let openrouter = [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1704067230000")];
    assert_eq!(retry_after(&openrouter, now()), Some(Duration::from_secs(30)));
    let retry_after_wins =
        [("retry-after", "5"), ("anthropic-ratelimit-requests-reset", "2024-01-01T00:00:45Z")];
    assert_eq!(retry_after(&retry_after_wins, now()), Some(Duration::from_secs(5)));
}
