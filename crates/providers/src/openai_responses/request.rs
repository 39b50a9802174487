//! The `POST {baseUrl}/responses` request: sampling settings, tools, reasoning and the fields only
//! OpenAI's own API takes (`store`, `prompt_cache_key`, `service_tier`, the `developer` role), with
//! `params.extra_body` merged last.
//!
//! Stop sequences have no place in the Responses API (OpenAI rejects `stop`, LM Studio ignores it), so
//! they are dropped with a debug log rather than failing the call: a fallback chain that reaches a
//! Responses model should still answer.

use llm::{ModelRequest, ReasoningEffort, ToolChoice};
use serde_json::{Map, Value};
use wire::openai_chat::ToolChoiceMode;
use wire::openai_responses::{
    FunctionTool, NamedFunctionChoice, ReasoningConfig, ResponsesInput, ResponsesRequest, ResponsesTool,
    ResponsesToolChoice,
};

use super::input::{input_items, InputOptions};
use crate::request::{merge_extra_body, RequestError, UpstreamRequest};
use crate::target::Target;

/// Reasoning efforts the Responses API knows, weakest first.
const EFFORTS: [&str; 6] = ["none", "minimal", "low", "medium", "high", "xhigh"];

/// Builds the request (see the module docs).
pub fn build_request(
    target: &Target,
    request: &ModelRequest,
    stream: bool,
) -> Result<UpstreamRequest, RequestError> {
    let model = &target.model;
    let compat = &model.compat;
    let native = target.is_native_openai();
    if !request.stop.is_empty() {
        tracing::debug!(
            model = %target.key(),
            count = request.stop.len(),
            "stop sequences dropped: the Responses API has no `stop` field"
        );
    }
    let options = InputOptions {
        developer_role: model.reasoning && native && compat.supports_developer_role != Some(false),
        images: model.accepts_images(),
    };
    let wire_model = if request.model.is_empty() { model.id.clone() } else { request.model.clone() };
    let sampling = compat.supports_temperature != Some(false);
    let mut body = ResponsesRequest {
        model: wire_model,
        input: Some(ResponsesInput::Items(input_items(request, options))),
        stream: Some(stream),
        max_output_tokens: request.max_tokens,
        temperature: request.temperature.filter(|_| sampling).map(exact_f64),
        top_p: request.top_p.filter(|_| sampling).map(exact_f64),
        ..ResponsesRequest::default()
    };
    if compat.supports_tools != Some(false) && !request.tools.is_empty() {
        body.tools = Some(tools(target, request));
        body.tool_choice = Some(tool_choice(request.tool_choice.as_ref().unwrap_or(&ToolChoice::Auto)));
    }
    if model.reasoning {
        let effort = request
            .reasoning
            .filter(|_| compat.supports_reasoning_effort != Some(false))
            .map(|effort| reasoning_effort(target, effort));
        body.reasoning = Some(ReasoningConfig { effort, summary: Some("auto".to_owned()) });
        body.include = Some(vec!["reasoning.encrypted_content".to_owned()]);
    }
    if native {
        if compat.supports_store != Some(false) {
            body.store = Some(false);
        }
        if compat.supports_prompt_cache_key != Some(false) {
            if let Some(key) =
                param_str(target, request, &["promptCacheKey", "prompt_cache_key", "sessionId"])
            {
                body.extra.insert("prompt_cache_key".into(), Value::String(key.to_owned()));
            }
        }
        if let Some(tier) = param_str(target, request, &["serviceTier", "service_tier"]) {
            body.extra.insert("service_tier".into(), Value::String(tier.to_owned()));
        }
    }
    let mut body = match serde_json::to_value(&body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(RequestError("the Responses body did not serialise to an object".into())),
        Err(e) => return Err(RequestError(format!("the Responses body could not be serialised: {e}"))),
    };
    if let Some(Value::Object(extra)) = param(target, request, &["extra_body", "extraBody"]) {
        merge_extra_body(&mut body, extra);
        if !native {
            // As OpenClaw does: `store` is OpenAI's own; a proxy route never gets it.
            body.remove("store");
        }
    }
    let accept = if stream { "text/event-stream" } else { "application/json" };
    Ok(UpstreamRequest {
        url: target.endpoint("/responses"),
        headers: vec![("accept".to_owned(), accept.to_owned())],
        body: Value::Object(body),
    })
}

/// Function tools. Responses tools are strict by default, which rejects most JSON Schemas written for
/// Chat Completions; OpenAI gets `strict: false`, other servers only when they say they take it.
fn tools(target: &Target, request: &ModelRequest) -> Vec<ResponsesTool> {
    let strict = match target.model.compat.supports_strict_mode {
        Some(false) => None,
        Some(true) => Some(false),
        None => Some(false).filter(|_| target.is_native_openai()),
    };
    request
        .tools
        .iter()
        .map(|tool| {
            ResponsesTool::Function(FunctionTool {
                name: tool.name.clone(),
                description: tool.description.clone(),
                parameters: Some(tool.parameters.clone()),
                strict,
            })
        })
        .collect()
}

fn tool_choice(choice: &ToolChoice) -> ResponsesToolChoice {
    match choice {
        ToolChoice::Auto => ResponsesToolChoice::Mode(ToolChoiceMode::Auto),
        ToolChoice::None => ResponsesToolChoice::Mode(ToolChoiceMode::None),
        ToolChoice::Required => ResponsesToolChoice::Mode(ToolChoiceMode::Required),
        ToolChoice::Tool(name) => {
            ResponsesToolChoice::Function(NamedFunctionChoice { kind: "function".into(), name: name.clone() })
        }
    }
}

/// The wire effort: `compat.reasoningEffortMap` first, else the Responses name (`off` is `none`,
/// `max` is `xhigh`), then moved to the nearest weaker level in `compat.supportedReasoningEfforts`
/// (or the weakest listed one) when the server names what it takes.
fn reasoning_effort(target: &Target, effort: ReasoningEffort) -> String {
    let compat = &target.model.compat;
    if let Some(mapped) = compat.reasoning_effort_map.as_ref().and_then(|m| m.get(effort.as_str())) {
        return mapped.clone();
    }
    let wanted = match effort {
        ReasoningEffort::Off => "none",
        ReasoningEffort::Max => "xhigh",
        other => other.as_str(),
    };
    let Some(supported) = compat.supported_reasoning_efforts.as_ref().filter(|s| !s.is_empty()) else {
        return wanted.to_owned();
    };
    if supported.iter().any(|s| s == wanted) {
        return wanted.to_owned();
    }
    let rank = |level: &str| EFFORTS.iter().position(|e| *e == level);
    let wanted_rank = rank(wanted).unwrap_or(EFFORTS.len());
    let weaker =
        supported.iter().filter(|s| rank(s).is_some_and(|r| r <= wanted_rank)).max_by_key(|s| rank(s));
    let weakest = supported.iter().min_by_key(|s| rank(s).unwrap_or(usize::MAX));
    weaker.or(weakest).cloned().unwrap_or_else(|| wanted.to_owned())
}

/// A param from the request, else from the model's own `params`.
fn param<'a>(target: &'a Target, request: &'a ModelRequest, keys: &[&str]) -> Option<&'a Value> {
    let find = |map: &'a Map<String, Value>| keys.iter().find_map(|k| map.get(*k));
    find(&request.params).or_else(|| find(&target.model.params))
}

fn param_str<'a>(target: &'a Target, request: &'a ModelRequest, keys: &[&str]) -> Option<&'a str> {
    param(target, request, keys).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// An `f32` setting as the `f64` with the same shortest decimal form (`0.7`, not `0.699999988…`).
fn exact_f64(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}
