//! The Messages request: URL, dialect headers and body.
//!
//! Body fields, in the order they are decided:
//! - `model`: the request's model id (the target's when the request has none).
//! - `max_tokens` (required by the API): the request's, else the model's `maxTokens`.
//! - `system`: a string; on Anthropic's own API a text block carrying a prompt-cache breakpoint
//!   (`cache_control: {"type":"ephemeral"}`, `"ttl":"1h"` with `params.cacheRetention: "long"`,
//!   none with `"none"`).
//! - `messages`: see `messages.rs`. A conversation with nothing left to send is refused here.
//! - `tools` (`name`, `description`, `input_schema`) and `tool_choice` (`auto` / `any` / `tool` /
//!   `none`), unless `compat.supportsTools` is `false`; `tool_choice` only when tools are sent.
//! - `stop_sequences` from `stop` (whitespace-only sequences, which the API rejects, are left out).
//! - `temperature` (clamped to the API's 0–1), unless thinking is on or `compat.supportsTemperature`
//!   is `false`; `top_p`, unless thinking is on and it is below 0.95 (see `thinking.rs`).
//! - `thinking` (see `thinking.rs`), `stream: true` when streaming.
//! - `params.extra_body` (or `extraBody`) merged last, winning on collisions.
//!
//! Headers: `anthropic-version: 2023-06-01` and `accept`. `content-type: application/json` is set
//! by the driver together with the JSON body (adding it here would send it twice); authentication
//! (`x-api-key` by default) is added by the driver too.

use llm::{ModelRequest, ToolChoice};
use serde_json::{json, Map, Value};
use wire::anthropic as w;

use super::endpoint::messages_url;
use super::messages::{history, HistoryOptions};
use super::thinking::{thinking_config, MIN_TOP_P_WITH_THINKING};
use crate::request::{merge_extra_body, RequestError, UpstreamRequest};
use crate::target::Target;

/// The `anthropic-version` header value.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// Builds the request for one call.
pub fn build_request(
    target: &Target,
    request: &ModelRequest,
    stream: bool,
) -> Result<UpstreamRequest, RequestError> {
    let model = &target.model;
    let compat = &model.compat;
    let params = merged_params(&model.params, &request.params);
    let options = HistoryOptions {
        images: model.accepts_images(),
        thinking_as_text: compat.requires_thinking_as_text == Some(true),
    };
    let messages = history(&request.messages, options);
    if messages.is_empty() {
        return Err(RequestError(format!(
            "the conversation for `{}` has no message with content Anthropic's Messages API accepts \
             (empty text and, for a model without image input, images are left out); add a user message",
            target.key()
        )));
    }

    let max_tokens =
        request.max_tokens.unwrap_or_else(|| u32::try_from(model.max_tokens).unwrap_or(u32::MAX)).max(1);
    let thinking = thinking_config(target, request, max_tokens);
    let thinking_on = matches!(thinking, Some(w::ThinkingConfig::Enabled { .. }));

    let tools_allowed = compat.supports_tools != Some(false) && !request.tools.is_empty();
    let tools = tools_allowed.then(|| request.tools.iter().map(tool).collect());
    let tool_choice = if tools_allowed { request.tool_choice.as_ref().map(tool_choice) } else { None };

    let temperature = request
        .temperature
        .filter(|_| !thinking_on && compat.supports_temperature != Some(false))
        .map(|t| f64::from(t.clamp(0.0, 1.0)));
    let top_p = request.top_p.filter(|p| !thinking_on || *p >= MIN_TOP_P_WITH_THINKING).map(f64::from);
    let stop: Vec<String> = request.stop.iter().filter(|s| !s.trim().is_empty()).cloned().collect();

    let body = w::MessagesRequest {
        model: if request.model.is_empty() { model.id.clone() } else { request.model.clone() },
        messages,
        max_tokens: Some(max_tokens),
        system: system(target, request, &params),
        stop_sequences: (!stop.is_empty()).then_some(stop),
        temperature,
        top_p,
        tools,
        tool_choice,
        thinking,
        stream: stream.then_some(true),
        ..w::MessagesRequest::default()
    };
    let mut body = match serde_json::to_value(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) | Err(_) => return Err(RequestError("the Messages request could not be serialised".into())),
    };
    for key in ["extra_body", "extraBody"] {
        if let Some(Value::Object(extra)) = params.get(key) {
            merge_extra_body(&mut body, extra);
        }
    }
    let accept = if stream { "text/event-stream" } else { "application/json" };
    Ok(UpstreamRequest {
        url: messages_url(&model.base_url),
        headers: vec![
            ("anthropic-version".to_owned(), ANTHROPIC_VERSION.to_owned()),
            ("accept".to_owned(), accept.to_owned()),
        ],
        body: Value::Object(body),
    })
}

/// The model's configured params, overridden key by key by the request's (agent) params.
fn merged_params(model: &Map<String, Value>, request: &Map<String, Value>) -> Map<String, Value> {
    let mut params = model.clone();
    for (key, value) in request {
        params.insert(key.clone(), value.clone());
    }
    params
}

fn system(target: &Target, request: &ModelRequest, params: &Map<String, Value>) -> Option<w::SystemPrompt> {
    let text = request.system.as_deref().filter(|s| !s.trim().is_empty())?;
    if !target.is_native_anthropic() {
        return Some(w::SystemPrompt::Text(text.to_owned()));
    }
    let cache_control = match params.get("cacheRetention").and_then(Value::as_str) {
        Some("none") => None,
        Some("long") => Some(json!({"type": "ephemeral", "ttl": "1h"})),
        _ => Some(json!({"type": "ephemeral"})),
    };
    Some(w::SystemPrompt::Blocks(vec![w::ContentBlock::Text {
        text: text.to_owned(),
        citations: None,
        cache_control,
    }]))
}

fn tool(spec: &llm::ToolSpec) -> w::Tool {
    let input_schema = match &spec.parameters {
        Value::Object(_) => spec.parameters.clone(),
        _ => json!({"type": "object", "properties": {}}),
    };
    w::Tool {
        name: spec.name.clone(),
        description: spec.description.clone().filter(|d| !d.is_empty()),
        input_schema: Some(input_schema),
        ..w::Tool::default()
    }
}

fn tool_choice(choice: &ToolChoice) -> w::ToolChoice {
    match choice {
        ToolChoice::Auto => w::ToolChoice::Auto { disable_parallel_tool_use: None },
        ToolChoice::None => w::ToolChoice::None,
        ToolChoice::Required => w::ToolChoice::Any { disable_parallel_tool_use: None },
        ToolChoice::Tool(name) => w::ToolChoice::Tool { name: name.clone(), disable_parallel_tool_use: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::{Message, ReasoningEffort, ToolSpec};

    fn target(base_url: &str) -> Target {
        Target::new(ResolvedModel::new("anthropic", "claude-sonnet-4-5", Api::AnthropicMessages, base_url))
    }

    fn request() -> ModelRequest {
        ModelRequest {
            model: "claude-sonnet-4-5".into(),
            messages: vec![Message::user("hi")],
            ..ModelRequest::default()
        }
    }

    fn weather() -> ToolSpec {
        ToolSpec {
            name: "get_weather".into(),
            description: Some("Current weather".into()),
            parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
        }
    }

    #[test]
    fn minimal_request() {
        let built = build_request(&target("http://127.0.0.1:9"), &request(), true).unwrap();
        assert_eq!(built.url, "http://127.0.0.1:9/v1/messages");
        assert_eq!(
            built.headers,
            [
                ("anthropic-version".to_owned(), "2023-06-01".to_owned()),
                ("accept".into(), "text/event-stream".into())
            ]
        );
        assert_eq!(
            built.body,
            json!({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
                   "max_tokens": 8192, "stream": true})
        );
        let built = build_request(&target("http://127.0.0.1:9"), &request(), false).unwrap();
        assert_eq!(built.body.get("stream"), None);
    }

    #[test]
    fn max_tokens_comes_from_the_request_else_the_model() {
        let mut t = target("http://h");
        t.model.max_tokens = 4096;
        assert_eq!(build_request(&t, &request(), true).unwrap().body["max_tokens"], 4096);
        let r = ModelRequest { max_tokens: Some(300), ..request() };
        assert_eq!(build_request(&t, &r, true).unwrap().body["max_tokens"], 300);
    }

    #[test]
    fn system_is_a_string_on_proxies_and_a_cached_block_on_anthropic() {
        let r = ModelRequest { system: Some("Be brief.".into()), ..request() };
        let proxy = build_request(&target("https://api.minimax.io/anthropic"), &r, true).unwrap();
        assert_eq!(proxy.body["system"], "Be brief.");
        let native = build_request(&target("https://api.anthropic.com"), &r, true).unwrap();
        assert_eq!(
            native.body["system"],
            json!([{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}])
        );
        let mut long = target("https://api.anthropic.com");
        long.model.params.insert("cacheRetention".into(), json!("long"));
        let body = build_request(&long, &r, true).unwrap().body;
        assert_eq!(body["system"][0]["cache_control"], json!({"type": "ephemeral", "ttl": "1h"}));
        let mut none = target("https://api.anthropic.com");
        none.model.params.insert("cacheRetention".into(), json!("none"));
        let body = build_request(&none, &r, true).unwrap().body;
        assert_eq!(body["system"], json!([{"type": "text", "text": "Be brief."}]));
        let blank = ModelRequest { system: Some("  ".into()), ..request() };
        assert_eq!(build_request(&target("http://h"), &blank, true).unwrap().body.get("system"), None);
    }

    #[test]
    fn tools_and_tool_choice() {
        let mut r = ModelRequest { tools: vec![weather()], ..request() };
        let body = build_request(&target("http://h"), &r, true).unwrap().body;
        assert_eq!(
            body["tools"],
            json!([{"name": "get_weather", "description": "Current weather",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}])
        );
        assert_eq!(body.get("tool_choice"), None);
        for (choice, wire) in [
            (ToolChoice::Auto, json!({"type": "auto"})),
            (ToolChoice::Required, json!({"type": "any"})),
            (ToolChoice::None, json!({"type": "none"})),
            (ToolChoice::Tool("get_weather".into()), json!({"type": "tool", "name": "get_weather"})),
        ] {
            r.tool_choice = Some(choice);
            assert_eq!(build_request(&target("http://h"), &r, true).unwrap().body["tool_choice"], wire);
        }
    }

    #[test]
    fn a_schema_that_is_not_an_object_becomes_an_empty_object_schema() {
        let r = ModelRequest {
            tools: vec![ToolSpec { name: "now".into(), description: None, parameters: Value::Null }],
            ..request()
        };
        let body = build_request(&target("http://h"), &r, true).unwrap().body;
        assert_eq!(
            body["tools"],
            json!([{"name": "now", "input_schema": {"type": "object", "properties": {}}}])
        );
    }

    #[test]
    fn no_tools_when_the_compat_flag_says_so() {
        let mut t = target("http://h");
        t.model.compat.supports_tools = Some(false);
        let r = ModelRequest { tools: vec![weather()], tool_choice: Some(ToolChoice::Required), ..request() };
        let body = build_request(&t, &r, true).unwrap().body;
        assert_eq!((body.get("tools"), body.get("tool_choice")), (None, None));
    }

    #[test]
    fn stop_sequences_and_sampling() {
        let r = ModelRequest {
            stop: vec!["END".into(), " ".into(), "\n\nHuman:".into()],
            temperature: Some(1.5),
            top_p: Some(0.9),
            ..request()
        };
        let body = build_request(&target("http://h"), &r, true).unwrap().body;
        assert_eq!(body["stop_sequences"], json!(["END", "\n\nHuman:"]));
        assert_eq!(body["temperature"], 1.0);
        assert_eq!(body["top_p"].as_f64().map(|p| (p * 100.0).round()), Some(90.0));
        let mut t = target("http://h");
        t.model.compat.supports_temperature = Some(false);
        assert_eq!(build_request(&t, &r, true).unwrap().body.get("temperature"), None);
    }

    #[test]
    fn thinking_drops_temperature_and_low_top_p() {
        let mut t = target("http://h");
        t.model.reasoning = true;
        let r = ModelRequest {
            reasoning: Some(ReasoningEffort::Medium),
            temperature: Some(0.2),
            top_p: Some(0.5),
            max_tokens: Some(16_000),
            ..request()
        };
        let body = build_request(&t, &r, true).unwrap().body;
        assert_eq!(body["thinking"], json!({"type": "enabled", "budget_tokens": 8192}));
        assert_eq!((body.get("temperature"), body.get("top_p")), (None, None));
        let r = ModelRequest { top_p: Some(0.97), ..r };
        assert!(build_request(&t, &r, true).unwrap().body.get("top_p").is_some());
    }

    #[test]
    fn extra_body_is_merged_last() {
        let mut t = target("http://h");
        t.model.params.insert("extra_body".into(), json!({"max_tokens": 77, "top_k": 20}));
        let r = ModelRequest {
            params: serde_json::from_value(json!({"extraBody": {"metadata": {"user_id": "u1"}}})).unwrap(),
            ..request()
        };
        let body = build_request(&t, &r, true).unwrap().body;
        assert_eq!((body["max_tokens"].clone(), body["top_k"].clone()), (json!(77), json!(20)));
        assert_eq!(body["metadata"], json!({"user_id": "u1"}));
    }

    #[test]
    fn a_conversation_with_nothing_to_send_is_refused() {
        let r = ModelRequest { messages: vec![Message::user("")], ..request() };
        let error = build_request(&target("http://h"), &r, true).unwrap_err();
        assert!(error.0.contains("anthropic/claude-sonnet-4-5"), "{error}");
        assert!(error.0.contains("add a user message"), "{error}");
    }
}
