//! `think`: Ollama's switch for a model's reasoning (since 0.9, which also moved reasoning into
//! `message.thinking`).
//!
//! - Reasoning off (`/think off`) sends `false`, for any model: Ollama only rejects `true` on models
//!   without the thinking capability.
//! - Any other level on a reasoning model sends `true`, or the level itself for models that take one
//!   (gpt-oss takes `"low"`, `"medium"`, `"high"`; a model whose `compat.supportedReasoningEfforts`
//!   is set is treated the same). Levels map onto those three, or through
//!   `compat.reasoningEffortMap` when it is set.
//! - No level, or a model that does not reason: nothing is sent and the server's default applies.

use llm::{ModelRequest, ReasoningEffort};
use wire::ollama::Think;

use crate::target::Target;

/// The `think` field for `target` and `request`, if any.
pub(crate) fn think(target: &Target, request: &ModelRequest) -> Option<Think> {
    let effort = request.reasoning?;
    if effort == ReasoningEffort::Off {
        return Some(Think::Enabled(false));
    }
    if !target.model.reasoning {
        return None;
    }
    if !takes_levels(target) {
        return Some(Think::Enabled(true));
    }
    let compat = &target.model.compat;
    let level = compat
        .reasoning_effort_map
        .as_ref()
        .and_then(|map| map.get(effort.as_str()).cloned())
        .unwrap_or_else(|| three_levels(effort).to_owned());
    Some(Think::Level(level))
}

/// Whether the model takes a level string rather than a switch.
fn takes_levels(target: &Target) -> bool {
    let listed = target.model.compat.supported_reasoning_efforts.as_ref().is_some_and(|l| !l.is_empty());
    listed || target.model.id.to_ascii_lowercase().contains("gpt-oss")
}

/// The nearest of `low`, `medium`, `high`.
fn three_levels(effort: ReasoningEffort) -> &'static str {
    match effort {
        ReasoningEffort::Off | ReasoningEffort::Minimal | ReasoningEffort::Low => "low",
        ReasoningEffort::Medium => "medium",
        ReasoningEffort::High | ReasoningEffort::Xhigh | ReasoningEffort::Max => "high",
    }
}
