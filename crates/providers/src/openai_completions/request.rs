//! The request body (openclaw-behaviour §2.2): `model`, `messages`, streaming and usage, the length
//! limit under the field the server reads, sampling, tools, reasoning switches, server extras
//! (`chat_template_kwargs`, Ollama's `options.num_ctx`), known sampling params passed through from
//! `params`, and `params.extra_body` merged last.
//!
//! Proxy-route shaping: only api.openai.com gets `store: false`, `service_tier` and the developer
//! role; every other host (local servers, LiteLLM, OpenRouter …) gets none of them, and `store` is
//! stripped again after `extra_body`.

use llm::ModelRequest;
use serde_json::{json, Map, Value};

use super::messages::{chat_messages, has_tool_history};
use super::reasoning::{apply_nemotron_defaults, apply_reasoning, chat_template_kwargs};
use super::tools::{tool_choice, tool_definitions};
use crate::request::{merge_extra_body, RequestError, UpstreamRequest};
use crate::target::Target;
use crate::tool_schema::ToolSchemaCleaner;

/// Ollama's port: an `openai-completions` model there is Ollama's `/v1` compatibility layer.
const OLLAMA_PORT: u16 = 11434;

/// Sampling and output params passed through from `params` when present (others, such as
/// clawgate's own `preload`, are never sent).
const PASSTHROUGH_PARAMS: &[&str] = &[
    "top_k",
    "min_p",
    "top_a",
    "typical_p",
    "repetition_penalty",
    "presence_penalty",
    "frequency_penalty",
    "seed",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "response_format",
    "parallel_tool_calls",
    "user",
    "n",
    "mirostat",
    "mirostat_tau",
    "mirostat_eta",
];

/// `POST {baseUrl}/chat/completions` for `request` on `target`.
pub fn build_request(
    target: &Target,
    request: &ModelRequest,
    stream: bool,
) -> Result<UpstreamRequest, RequestError> {
    let model = &target.model;
    let compat = &model.compat;
    let native = target.is_native_openai();
    let mut body = Map::new();
    body.insert("model".into(), json!(model.id));
    body.insert("messages".into(), Value::Array(chat_messages(target, request)));
    body.insert("stream".into(), Value::Bool(stream));
    if stream && compat.supports_usage_in_streaming != Some(false) {
        body.insert("stream_options".into(), json!({"include_usage": true}));
    }

    let max_tokens = request.max_tokens.map_or(model.max_tokens, |m| u64::from(m).min(model.max_tokens));
    body.insert(max_tokens_field(target).into(), json!(max_tokens));
    if compat.supports_temperature != Some(false) {
        if let Some(temperature) =
            request.temperature.map(f64::from).or_else(|| number_param(request, "temperature"))
        {
            body.insert("temperature".into(), json!(temperature));
        }
    }
    if let Some(top_p) = request.top_p.map(f64::from).or_else(|| number_param(request, "top_p")) {
        body.insert("top_p".into(), json!(top_p));
    }
    if !request.stop.is_empty() {
        body.insert("stop".into(), json!(request.stop));
    }

    if compat.supports_tools != Some(false) {
        if !request.tools.is_empty() {
            let cleaner = ToolSchemaCleaner::for_model(model);
            body.insert("tools".into(), Value::Array(tool_definitions(&request.tools, &cleaner, compat)));
            if let Some(choice) = &request.tool_choice {
                body.insert("tool_choice".into(), tool_choice(choice));
            }
        } else if has_tool_history(&request.messages) {
            // LiteLLM / Anthropic-backed proxies reject tool history without a `tools` field.
            body.insert("tools".into(), json!([]));
        }
    }

    apply_reasoning(model, request.reasoning, &mut body);
    apply_nemotron_defaults(model, request.reasoning, &mut body);
    if let Some(Value::Object(kwargs)) = request.params.get("chat_template_kwargs") {
        let target_kwargs = chat_template_kwargs(&mut body);
        for (key, value) in kwargs {
            target_kwargs.insert(key.clone(), value.clone());
        }
    }
    if let Some(num_ctx) = ollama_num_ctx(target) {
        body.insert("options".into(), json!({"num_ctx": num_ctx}));
    }
    if native && compat.supports_store != Some(false) {
        body.insert("store".into(), Value::Bool(false));
    }
    for key in PASSTHROUGH_PARAMS {
        if let Some(value) = request.params.get(*key) {
            body.insert((*key).into(), value.clone());
        }
    }
    if let (true, Some(tier)) = (native, request.params.get("service_tier")) {
        body.insert("service_tier".into(), tier.clone());
    }

    if let Some(extra) = extra_body(request)? {
        merge_extra_body(&mut body, extra);
    }
    if !native {
        body.remove("store");
    }

    let mut headers = Vec::new();
    if stream {
        headers.push(("accept".to_owned(), "text/event-stream".to_owned()));
    }
    Ok(UpstreamRequest { url: target.endpoint("/chat/completions"), headers, body: Value::Object(body) })
}

/// `compat.maxTokensField`; by default `max_completion_tokens` on api.openai.com and `max_tokens`
/// everywhere else (the only one most local servers read).
fn max_tokens_field(target: &Target) -> &'static str {
    match target.model.compat.max_tokens_field.as_deref() {
        Some("max_tokens") => "max_tokens",
        Some("max_completion_tokens") => "max_completion_tokens",
        other => {
            if let Some(other) = other {
                tracing::debug!(field = other, "unknown compat.maxTokensField ignored");
            }
            if target.is_native_openai() {
                "max_completion_tokens"
            } else {
                "max_tokens"
            }
        }
    }
}

fn number_param(request: &ModelRequest, key: &str) -> Option<f64> {
    request.params.get(key).and_then(Value::as_f64)
}

/// `params.extra_body` (or `extraBody`), which must be an object.
fn extra_body(request: &ModelRequest) -> Result<Option<&Map<String, Value>>, RequestError> {
    let Some((key, value)) =
        ["extra_body", "extraBody"].iter().find_map(|k| request.params.get(*k).map(|v| (*k, v)))
    else {
        return Ok(None);
    };
    match value {
        Value::Object(extra) => Ok(Some(extra)),
        Value::Null => Ok(None),
        other => Err(RequestError(format!(
            "params.{key} must be a JSON object of fields to add to the request body, not {}; \
             fix it in the model's params in openclaw.json",
            json_kind(other)
        ))),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The context window to send as `options.num_ctx` when the model is Ollama's OpenAI-compatible
/// endpoint (provider `ollama` or port 11434) and injection is on; without it Ollama loads the model
/// with its small default window and silently truncates the prompt.
fn ollama_num_ctx(target: &Target) -> Option<u64> {
    let model = &target.model;
    let is_ollama = model.provider == "ollama" || port_of(&model.base_url) == Some(OLLAMA_PORT);
    if !is_ollama || !target.inject_num_ctx {
        return None;
    }
    if model.context_window.is_none() {
        tracing::debug!(model = %model.key(), "no contextWindow known; options.num_ctx not sent");
        return None;
    }
    Some(model.context_limit())
}

/// The explicit port of a URL, if any.
fn port_of(url: &str) -> Option<u16> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = host_port.rsplit_once(':')?;
    if host.ends_with(']') || !host.contains(':') {
        port.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::{Message, ReasoningEffort, ToolChoice, ToolSpec};

    fn target(provider: &str, base_url: &str, setup: impl FnOnce(&mut ResolvedModel)) -> Target {
        let mut model = ResolvedModel::new(provider, "qwen3-8b", Api::OpenaiCompletions, base_url);
        setup(&mut model);
        Target::new(model)
    }

    fn local(setup: impl FnOnce(&mut ResolvedModel)) -> Target {
        target("vllm", "http://127.0.0.1:8000/v1", setup)
    }

    fn openai(setup: impl FnOnce(&mut ResolvedModel)) -> Target {
        target("openai", "https://api.openai.com/v1", setup)
    }

    fn hello() -> ModelRequest {
        ModelRequest { messages: vec![Message::user("Hi")], ..ModelRequest::default() }
    }

    fn body(target: &Target, request: &ModelRequest) -> Map<String, Value> {
        let built = build_request(target, request, true).unwrap();
        built.body.as_object().unwrap().clone()
    }

    #[test]
    fn streaming_body_asks_for_usage_and_goes_to_chat_completions() {
        let built = build_request(&local(|_| {}), &hello(), true).unwrap();
        assert_eq!(built.url, "http://127.0.0.1:8000/v1/chat/completions");
        assert_eq!(built.body["model"], "qwen3-8b");
        assert_eq!(built.body["stream"], true);
        assert_eq!(built.body["stream_options"], json!({"include_usage": true}));
        assert_eq!(built.headers, vec![("accept".to_owned(), "text/event-stream".to_owned())]);
        let plain = build_request(&local(|_| {}), &hello(), false).unwrap();
        assert_eq!(plain.body["stream"], false);
        assert!(plain.body.get("stream_options").is_none());
        let no_usage = body(&local(|m| m.compat.supports_usage_in_streaming = Some(false)), &hello());
        assert!(!no_usage.contains_key("stream_options"));
    }

    #[test]
    fn max_tokens_field_depends_on_host_and_compat() {
        let req = ModelRequest { max_tokens: Some(512), ..hello() };
        assert_eq!(body(&local(|_| {}), &req)["max_tokens"], 512);
        assert_eq!(body(&openai(|_| {}), &req)["max_completion_tokens"], 512);
        let forced = body(&local(|m| m.compat.max_tokens_field = Some("max_completion_tokens".into())), &req);
        assert_eq!(forced["max_completion_tokens"], 512);
        assert!(!forced.contains_key("max_tokens"));
        // Without a request limit the model's maxTokens is sent; a larger request is capped by it.
        assert_eq!(body(&local(|_| {}), &hello())["max_tokens"], 8192);
        let huge = ModelRequest { max_tokens: Some(100_000), ..hello() };
        assert_eq!(body(&local(|_| {}), &huge)["max_tokens"], 8192);
    }

    #[test]
    fn sampling_fields() {
        let req =
            ModelRequest { temperature: Some(0.5), top_p: Some(0.25), stop: vec!["END".into()], ..hello() };
        let b = body(&local(|_| {}), &req);
        assert_eq!(b["temperature"], 0.5);
        assert_eq!(b["top_p"], 0.25);
        assert_eq!(b["stop"], json!(["END"]));
        let no_temp = body(&local(|m| m.compat.supports_temperature = Some(false)), &req);
        assert!(!no_temp.contains_key("temperature"));
        let mut from_params = hello();
        from_params.params.insert("temperature".into(), json!(0.7));
        assert_eq!(body(&local(|_| {}), &from_params)["temperature"], 0.7);
        assert!(!body(&local(|_| {}), &hello()).contains_key("stop"));
    }

    #[test]
    fn tools_tool_choice_and_tool_history() {
        let tool = ToolSpec { name: "ls".into(), description: None, parameters: json!({"type": "object"}) };
        let req = ModelRequest { tools: vec![tool], tool_choice: Some(ToolChoice::Required), ..hello() };
        let b = body(&local(|_| {}), &req);
        assert_eq!(b["tools"][0]["function"]["name"], "ls");
        assert_eq!(b["tool_choice"], "required");
        let off = body(&local(|m| m.compat.supports_tools = Some(false)), &req);
        assert!(!off.contains_key("tools") && !off.contains_key("tool_choice"));

        let history = ModelRequest {
            messages: vec![Message {
                role: llm::Role::Assistant,
                content: vec![llm::ContentBlock::ToolCall {
                    id: "c".into(),
                    name: "ls".into(),
                    arguments: json!({}),
                }],
            }],
            ..ModelRequest::default()
        };
        assert_eq!(body(&local(|_| {}), &history)["tools"], json!([]));
        assert!(!body(&local(|_| {}), &hello()).contains_key("tools"));
    }

    #[test]
    fn reasoning_effort_for_reasoning_models() {
        let req = ModelRequest { reasoning: Some(ReasoningEffort::Low), ..hello() };
        assert_eq!(body(&local(|m| m.reasoning = true), &req)["reasoning_effort"], "low");
        assert!(!body(&local(|_| {}), &req).contains_key("reasoning_effort"));
    }

    #[test]
    fn chat_template_kwargs_from_params_merge_with_the_thinking_switch() {
        let mut req = ModelRequest { reasoning: Some(ReasoningEffort::High), ..hello() };
        req.params.insert("chat_template_kwargs".into(), json!({"preserve_thinking": false, "custom": 1}));
        let b = body(
            &local(|m| {
                m.reasoning = true;
                m.compat.thinking_format = Some("qwen-chat-template".into());
            }),
            &req,
        );
        assert_eq!(
            b["chat_template_kwargs"],
            json!({"enable_thinking": true, "preserve_thinking": false, "custom": 1})
        );
    }

    #[test]
    fn ollama_gets_num_ctx_when_injection_is_on() {
        let with_window = |m: &mut ResolvedModel| m.context_window = Some(32_768);
        assert_eq!(
            body(&target("ollama", "http://127.0.0.1:11434/v1", with_window), &hello())["options"],
            json!({"num_ctx": 32768})
        );
        assert_eq!(
            body(&target("box", "http://gpu.lan:11434/v1", with_window), &hello())["options"],
            json!({"num_ctx": 32768})
        );
        let mut off = target("ollama", "http://127.0.0.1:11434/v1", with_window);
        off.inject_num_ctx = false;
        assert!(!body(&off, &hello()).contains_key("options"));
        assert!(!body(&local(with_window), &hello()).contains_key("options"));
    }

    #[test]
    fn native_openai_gets_store_false_and_proxies_never_do() {
        assert_eq!(body(&openai(|_| {}), &hello())["store"], false);
        let mut req = hello();
        req.params.insert("extra_body".into(), json!({"store": true, "service_tier": "flex", "top_k": 40}));
        req.params.insert("service_tier".into(), json!("priority"));
        let proxied = body(&local(|_| {}), &req);
        assert!(!proxied.contains_key("store"));
        // extra_body is the user's explicit override: it wins for everything but `store`.
        assert_eq!(proxied["service_tier"], "flex");
        assert_eq!(proxied["top_k"], 40);
        let native = body(&openai(|_| {}), &req);
        assert_eq!(native["store"], true);
    }

    #[test]
    fn known_params_pass_through_and_clawgate_keys_do_not() {
        let mut req = hello();
        for (k, v) in [
            ("top_k", json!(20)),
            ("min_p", json!(0.05)),
            ("repetition_penalty", json!(1.1)),
            ("seed", json!(7)),
            ("preload", json!(true)),
            ("service_tier", json!("flex")),
        ] {
            req.params.insert(k.into(), v);
        }
        let b = body(&local(|_| {}), &req);
        assert_eq!(
            (b["top_k"].clone(), b["min_p"].clone(), b["seed"].clone()),
            (json!(20), json!(0.05), json!(7))
        );
        assert_eq!(b["repetition_penalty"], 1.1);
        assert!(!b.contains_key("preload"));
        assert!(!b.contains_key("service_tier"));
        assert_eq!(body(&openai(|_| {}), &req)["service_tier"], "flex");
    }

    #[test]
    fn extra_body_that_is_not_an_object_is_a_request_error() {
        let mut req = hello();
        req.params.insert("extra_body".into(), json!("oops"));
        let error = build_request(&local(|_| {}), &req, true).unwrap_err();
        assert!(error.0.contains("params.extra_body must be a JSON object"), "{}", error.0);
    }

    #[test]
    fn ports_are_read_from_urls() {
        assert_eq!(port_of("http://127.0.0.1:11434/v1"), Some(11434));
        assert_eq!(port_of("http://user:pw@host:8080"), Some(8080));
        assert_eq!(port_of("http://[::1]:1234/v1"), Some(1234));
        assert_eq!(port_of("https://api.openai.com/v1"), None);
    }
}
