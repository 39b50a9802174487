//! The reasoning switches of a Chat Completions body: `reasoning_effort` (OpenAI style) or the
//! server's own switch chosen by `compat.thinkingFormat`, as OpenClaw sends them:
//!
//! | thinkingFormat | on | off |
//! |---|---|---|
//! | `openai` (default) | `reasoning_effort` | `reasoning_effort` only if `reasoningEffortMap.off` is set |
//! | `openrouter` | `reasoning: {effort}` | `reasoning: {effort: "none"}` |
//! | `deepseek` | `thinking: {type: "enabled"}` (+ `reasoning_effort`) | `thinking: {type: "disabled"}` |
//! | `together` | `reasoning: {enabled: true}` (+ `reasoning_effort`) | `reasoning: {enabled: false}` |
//! | `qwen` | top-level `enable_thinking: true` | `enable_thinking: false` |
//! | `qwen-chat-template` | `chat_template_kwargs: {enable_thinking: true, preserve_thinking: true}` | `enable_thinking: false` |
//! | `zai` | `thinking: {type: "enabled", clear_thinking: false}` | `thinking: {type: "disabled"}` |
//!
//! Only models with `reasoning: true` get any of these, and only when the request chose a level: a
//! request that says nothing leaves the server's default in force. Effort labels go through
//! `compat.reasoningEffortMap` (label → wire value), otherwise they are limited to
//! `compat.supportedReasoningEfforts` (default `minimal`…`high`; `xhigh`/`max` must be listed).

use config::registry::ResolvedModel;
use config::types::Compat;
use llm::ReasoningEffort;
use serde_json::{json, Map, Value};

/// Effort labels from weakest to strongest, for limiting a request to what the model supports.
const EFFORT_LADDER: [&str; 6] = ["minimal", "low", "medium", "high", "xhigh", "max"];
/// The efforts every reasoning model takes when `compat.supportedReasoningEfforts` is unset.
const DEFAULT_SUPPORTED: [&str; 4] = ["minimal", "low", "medium", "high"];

/// The wire convention a server uses to switch thinking on and off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ThinkingFormat {
    Openai,
    Openrouter,
    Deepseek,
    Together,
    Qwen,
    QwenChatTemplate,
    Zai,
}

impl ThinkingFormat {
    fn of(compat: &Compat) -> Self {
        match compat.thinking_format.as_deref() {
            None | Some("openai") => ThinkingFormat::Openai,
            Some("openrouter") => ThinkingFormat::Openrouter,
            Some("deepseek") => ThinkingFormat::Deepseek,
            Some("together") => ThinkingFormat::Together,
            Some("qwen") => ThinkingFormat::Qwen,
            Some("qwen-chat-template") => ThinkingFormat::QwenChatTemplate,
            Some("zai") => ThinkingFormat::Zai,
            Some(other) => {
                tracing::debug!(
                    thinking_format = other,
                    "unknown compat.thinkingFormat ignored; using openai"
                );
                ThinkingFormat::Openai
            }
        }
    }
}

/// Writes the reasoning switches for `requested` into `body`.
pub(super) fn apply_reasoning(
    model: &ResolvedModel,
    requested: Option<ReasoningEffort>,
    body: &mut Map<String, Value>,
) {
    let Some(requested) = requested.filter(|_| model.reasoning) else {
        return;
    };
    let compat = &model.compat;
    let effort = wire_effort(requested, compat);
    let enabled = effort.as_deref().is_some_and(|e| e != "none");
    let effort_allowed = compat.supports_reasoning_effort != Some(false);
    let off_value = || mapped(compat, ReasoningEffort::Off);
    match ThinkingFormat::of(compat) {
        ThinkingFormat::Openai => {
            if effort_allowed {
                if let Some(effort) = if enabled { effort } else { off_value() } {
                    body.insert("reasoning_effort".into(), json!(effort));
                }
            }
        }
        ThinkingFormat::Openrouter => {
            let effort = if enabled { effort } else { off_value() };
            body.insert("reasoning".into(), json!({"effort": effort.unwrap_or_else(|| "none".into())}));
        }
        ThinkingFormat::Deepseek => {
            body.insert("thinking".into(), json!({"type": if enabled { "enabled" } else { "disabled" }}));
            insert_effort_if(enabled && effort_allowed, effort, body);
        }
        ThinkingFormat::Together => {
            body.insert("reasoning".into(), json!({"enabled": enabled}));
            insert_effort_if(enabled && effort_allowed, effort, body);
        }
        ThinkingFormat::Qwen => {
            body.insert("enable_thinking".into(), Value::Bool(enabled));
        }
        ThinkingFormat::QwenChatTemplate => {
            let kwargs = chat_template_kwargs(body);
            kwargs.insert("enable_thinking".into(), Value::Bool(enabled));
            kwargs.insert("preserve_thinking".into(), Value::Bool(true));
        }
        ThinkingFormat::Zai => {
            let thinking = if enabled {
                json!({"type": "enabled", "clear_thinking": false})
            } else {
                json!({"type": "disabled"})
            };
            body.insert("thinking".into(), thinking);
        }
    }
}

/// vLLM's Nemotron 3 models answer with empty content when thinking is off unless told otherwise;
/// OpenClaw's vLLM plugin sends these two template switches (user params override them).
pub(super) fn apply_nemotron_defaults(
    model: &ResolvedModel,
    requested: Option<ReasoningEffort>,
    body: &mut Map<String, Value>,
) {
    let short_id = model.id.rsplit('/').next().unwrap_or(&model.id).to_ascii_lowercase();
    if model.provider == "vllm"
        && short_id.starts_with("nemotron-3")
        && requested == Some(ReasoningEffort::Off)
    {
        let kwargs = chat_template_kwargs(body);
        kwargs.insert("enable_thinking".into(), Value::Bool(false));
        kwargs.insert("force_nonempty_content".into(), Value::Bool(true));
    }
}

/// The top-level `chat_template_kwargs` object, created when absent (replacing a non-object).
pub(super) fn chat_template_kwargs(body: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let slot = body.entry("chat_template_kwargs").or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("made an object above")
}

fn insert_effort_if(condition: bool, effort: Option<String>, body: &mut Map<String, Value>) {
    if let (true, Some(effort)) = (condition, effort) {
        body.insert("reasoning_effort".into(), json!(effort));
    }
}

/// The wire effort for a requested level: the map's value when the label is mapped, `None` for
/// `off`, else the level limited to the supported ones.
fn wire_effort(requested: ReasoningEffort, compat: &Compat) -> Option<String> {
    if let Some(value) = mapped(compat, requested) {
        return Some(value);
    }
    if requested == ReasoningEffort::Off {
        return None;
    }
    Some(limit_to_supported(requested.as_str(), compat).to_owned())
}

fn mapped(compat: &Compat, level: ReasoningEffort) -> Option<String> {
    compat.reasoning_effort_map.as_ref()?.get(level.as_str()).cloned()
}

/// The strongest supported effort not above `label`; the weakest supported one when all are above.
fn limit_to_supported<'a>(label: &'a str, compat: &'a Compat) -> &'a str {
    let supported: Vec<&str> = match &compat.supported_reasoning_efforts {
        Some(list) => list.iter().map(String::as_str).collect(),
        None => DEFAULT_SUPPORTED.to_vec(),
    };
    let rank = |effort: &str| EFFORT_LADDER.iter().position(|e| *e == effort);
    let Some(wanted) = rank(label) else { return label };
    let mut ranked: Vec<(usize, &str)> = supported.iter().filter_map(|e| Some((rank(e)?, *e))).collect();
    ranked.sort_unstable();
    ranked.iter().rev().find(|(r, _)| *r <= wanted).or(ranked.first()).map_or(label, |(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;

    fn model(compat: Compat) -> ResolvedModel {
        let mut m =
            ResolvedModel::new("vllm", "Qwen/Qwen3-8B", Api::OpenaiCompletions, "http://127.0.0.1:8000/v1");
        m.reasoning = true;
        m.compat = compat;
        m
    }

    fn body_for(compat: Compat, effort: Option<ReasoningEffort>) -> Value {
        let mut body = Map::new();
        apply_reasoning(&model(compat), effort, &mut body);
        Value::Object(body)
    }

    fn format(name: &str) -> Compat {
        Compat { thinking_format: Some(name.into()), ..Compat::default() }
    }

    #[test]
    fn openai_format_sends_reasoning_effort_only_when_asked() {
        assert_eq!(
            body_for(Compat::default(), Some(ReasoningEffort::High)),
            json!({"reasoning_effort": "high"})
        );
        assert_eq!(body_for(Compat::default(), None), json!({}));
        assert_eq!(body_for(Compat::default(), Some(ReasoningEffort::Off)), json!({}));
    }

    #[test]
    fn no_reasoning_switch_for_a_model_without_reasoning() {
        let mut m = model(format("qwen"));
        m.reasoning = false;
        let mut body = Map::new();
        apply_reasoning(&m, Some(ReasoningEffort::High), &mut body);
        assert!(body.is_empty());
    }

    #[test]
    fn supports_reasoning_effort_false_sends_none() {
        let compat = Compat { supports_reasoning_effort: Some(false), ..Compat::default() };
        assert_eq!(body_for(compat, Some(ReasoningEffort::High)), json!({}));
    }

    #[test]
    fn efforts_are_mapped_and_limited() {
        let map = [("high", "max"), ("off", "none")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        let compat = Compat { reasoning_effort_map: Some(map.into_iter().collect()), ..Compat::default() };
        assert_eq!(body_for(compat.clone(), Some(ReasoningEffort::High)), json!({"reasoning_effort": "max"}));
        assert_eq!(body_for(compat, Some(ReasoningEffort::Off)), json!({"reasoning_effort": "none"}));
        // xhigh and max need to be listed; otherwise they become the strongest default, high.
        assert_eq!(
            body_for(Compat::default(), Some(ReasoningEffort::Max)),
            json!({"reasoning_effort": "high"})
        );
        let listed = Compat {
            supported_reasoning_efforts: Some(vec!["low".into(), "high".into(), "xhigh".into()]),
            ..Compat::default()
        };
        assert_eq!(
            body_for(listed.clone(), Some(ReasoningEffort::Max)),
            json!({"reasoning_effort": "xhigh"})
        );
        assert_eq!(
            body_for(listed.clone(), Some(ReasoningEffort::Medium)),
            json!({"reasoning_effort": "low"})
        );
        assert_eq!(body_for(listed, Some(ReasoningEffort::Minimal)), json!({"reasoning_effort": "low"}));
    }

    #[test]
    fn thinking_formats_use_their_own_switch() {
        let on = Some(ReasoningEffort::Medium);
        let off = Some(ReasoningEffort::Off);
        assert_eq!(body_for(format("qwen"), on), json!({"enable_thinking": true}));
        assert_eq!(body_for(format("qwen"), off), json!({"enable_thinking": false}));
        assert_eq!(
            body_for(format("qwen-chat-template"), off),
            json!({"chat_template_kwargs": {"enable_thinking": false, "preserve_thinking": true}})
        );
        assert_eq!(body_for(format("openrouter"), on), json!({"reasoning": {"effort": "medium"}}));
        assert_eq!(body_for(format("openrouter"), off), json!({"reasoning": {"effort": "none"}}));
        assert_eq!(
            body_for(format("deepseek"), on),
            json!({"thinking": {"type": "enabled"}, "reasoning_effort": "medium"})
        );
        assert_eq!(body_for(format("deepseek"), off), json!({"thinking": {"type": "disabled"}}));
        assert_eq!(
            body_for(format("together"), on),
            json!({"reasoning": {"enabled": true}, "reasoning_effort": "medium"})
        );
        assert_eq!(
            body_for(format("zai"), on),
            json!({"thinking": {"type": "enabled", "clear_thinking": false}})
        );
        assert_eq!(body_for(format("zai"), off), json!({"thinking": {"type": "disabled"}}));
        assert_eq!(body_for(format("no-such-format"), on), json!({"reasoning_effort": "medium"}));
    }

    #[test]
    fn nemotron_3_on_vllm_with_thinking_off_gets_template_switches() {
        let mut m = model(Compat::default());
        m.id = "nvidia/NVIDIA-Nemotron-3-Nano-30B".into();
        let mut body = Map::new();
        apply_nemotron_defaults(&m, Some(ReasoningEffort::Off), &mut body);
        assert!(body.is_empty(), "the short id must start with nemotron-3");
        m.id = "nemotron-3-super".into();
        apply_nemotron_defaults(&m, Some(ReasoningEffort::High), &mut body);
        assert!(body.is_empty(), "only with thinking off");
        apply_nemotron_defaults(&m, Some(ReasoningEffort::Off), &mut body);
        assert_eq!(
            Value::Object(body),
            json!({"chat_template_kwargs": {"enable_thinking": false, "force_nonempty_content": true}})
        );
    }
}
