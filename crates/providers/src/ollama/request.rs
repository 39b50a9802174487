//! The `POST {baseUrl}/api/chat` request.
//!
//! The native API lives at the server's root: a base URL written with `/v1` (the OpenAI-compatible
//! layer, where Ollama's tool calling is unreliable) or `/api` has that suffix removed, so
//! `http://host:11434/v1` still reaches `http://host:11434/api/chat`. `stream` is always sent,
//! since Ollama streams unless told not to. `params.extra_body` (or `extraBody`) is merged last and
//! wins, one level deep (so `extra_body.options` adds to the options).

use llm::ModelRequest;
use serde_json::Value;
use wire::ollama::ChatRequest;

use super::messages::chat_messages;
use super::options::{keep_alive, model_options};
use super::think::think;
use super::tools::chat_tools;
use crate::request::{merge_extra_body, RequestError, UpstreamRequest};
use crate::target::Target;

/// Ollama's address when the base URL is empty.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:11434";

/// Builds the `/api/chat` request for `request` on `target`.
pub fn build_request(
    target: &Target,
    request: &ModelRequest,
    stream: bool,
) -> Result<UpstreamRequest, RequestError> {
    let chat = ChatRequest {
        model: target.model.id.clone(),
        messages: chat_messages(target, request)?,
        tools: chat_tools(target, request)?,
        stream: Some(stream),
        think: think(target, request),
        format: None,
        options: Some(model_options(target, request)?),
        keep_alive: keep_alive(target),
        extra: Default::default(),
    };
    let mut body = serde_json::to_value(&chat)
        .map_err(|e| RequestError(format!("the Ollama request could not be encoded: {e}")))?;
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra_body(target)) {
        merge_extra_body(body, extra);
    }
    let accept = if stream { "application/x-ndjson" } else { "application/json" };
    Ok(UpstreamRequest {
        url: chat_url(&target.model.base_url),
        headers: vec![("accept".into(), accept.into())],
        body,
    })
}

/// `params.extra_body` (or `params.extraBody`) when it is an object.
fn extra_body(target: &Target) -> Option<&serde_json::Map<String, Value>> {
    let params = &target.model.params;
    params.get("extra_body").or_else(|| params.get("extraBody")).and_then(Value::as_object)
}

/// `{base}/api/chat`, with a trailing `/v1` or `/api` (any case) taken off the base first.
pub fn chat_url(base_url: &str) -> String {
    let mut base = base_url.trim().trim_end_matches('/');
    for suffix in ["/v1", "/api"] {
        let cut = base.len().saturating_sub(suffix.len());
        if base.get(cut..).is_some_and(|tail| tail.eq_ignore_ascii_case(suffix)) {
            base = base[..cut].trim_end_matches('/');
            break;
        }
    }
    let base = if base.is_empty() { DEFAULT_BASE_URL } else { base };
    format!("{base}/api/chat")
}

#[cfg(test)]
mod tests {
    use super::chat_url;

    #[test]
    fn the_native_endpoint_is_at_the_root() {
        assert_eq!(chat_url("http://127.0.0.1:11434"), "http://127.0.0.1:11434/api/chat");
        assert_eq!(chat_url("http://127.0.0.1:11434/"), "http://127.0.0.1:11434/api/chat");
        assert_eq!(chat_url("http://gpu-box:11434/v1"), "http://gpu-box:11434/api/chat");
        assert_eq!(chat_url("http://gpu-box:11434/V1/"), "http://gpu-box:11434/api/chat");
        assert_eq!(chat_url("http://gpu-box:11434/api"), "http://gpu-box:11434/api/chat");
        assert_eq!(chat_url("https://proxy.lan/ollama"), "https://proxy.lan/ollama/api/chat");
        assert_eq!(chat_url(""), "http://127.0.0.1:11434/api/chat");
    }
}
