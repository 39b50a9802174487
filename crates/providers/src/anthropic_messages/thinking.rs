//! Extended thinking: when it is asked for, how many tokens it may use, and what it rules out.
//!
//! Thinking is sent as `{"type":"enabled","budget_tokens":N}` when the model is marked `reasoning`
//! and the request asks for an effort other than `off`. The budget follows the effort (minimal
//! 1024, low 2048, medium 8192, high 16384, xhigh and max 32000) and is capped below `max_tokens`
//! (the API requires `1024 <= budget_tokens < max_tokens`); when `max_tokens` leaves no room for
//! the 1024 minimum, thinking is not sent at all.
//!
//! While thinking is on the API rejects `temperature` other than 1, `top_p` below 0.95, and a
//! forced tool choice (`any` / `tool`). The first two are dropped from the request; a forced tool
//! choice wins over thinking (the caller's hard requirement beats a preference), so thinking is
//! then left off. A reasoning model asked for `off` gets `{"type":"disabled"}` explicitly.

use llm::{ModelRequest, ReasoningEffort, ToolChoice};
use wire::anthropic::ThinkingConfig;

use crate::target::Target;

/// The smallest budget the API accepts.
pub const MIN_BUDGET: u32 = 1024;

/// The lowest `top_p` the API accepts together with thinking.
pub(super) const MIN_TOP_P_WITH_THINKING: f32 = 0.95;

/// The thinking budget of an effort, before the `max_tokens` cap; `None` for `off`.
pub fn thinking_budget(effort: ReasoningEffort) -> Option<u32> {
    Some(match effort {
        ReasoningEffort::Off => return None,
        ReasoningEffort::Minimal => 1024,
        ReasoningEffort::Low => 2048,
        ReasoningEffort::Medium => 8192,
        ReasoningEffort::High => 16_384,
        ReasoningEffort::Xhigh | ReasoningEffort::Max => 32_000,
    })
}

/// The `thinking` field for this call, or `None` to leave it out.
pub(super) fn thinking_config(
    target: &Target,
    request: &ModelRequest,
    max_tokens: u32,
) -> Option<ThinkingConfig> {
    if !target.model.reasoning {
        return None;
    }
    let effort = request.reasoning?;
    if effort == ReasoningEffort::Off {
        return Some(ThinkingConfig::Disabled);
    }
    if matches!(request.tool_choice, Some(ToolChoice::Required | ToolChoice::Tool(_)))
        && !request.tools.is_empty()
    {
        return None;
    }
    let budget = thinking_budget(effort)?.min(max_tokens.saturating_sub(1));
    (budget >= MIN_BUDGET).then_some(ThinkingConfig::Enabled { budget_tokens: budget })
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;

    fn target(reasoning: bool) -> Target {
        let mut model =
            ResolvedModel::new("anthropic", "claude", Api::AnthropicMessages, "https://api.anthropic.com");
        model.reasoning = reasoning;
        Target::new(model)
    }

    fn request(effort: Option<ReasoningEffort>) -> ModelRequest {
        ModelRequest { reasoning: effort, ..ModelRequest::default() }
    }

    #[test]
    fn effort_maps_to_budget() {
        let budgets: Vec<_> = [
            ReasoningEffort::Off,
            ReasoningEffort::Minimal,
            ReasoningEffort::Low,
            ReasoningEffort::Medium,
            ReasoningEffort::High,
            ReasoningEffort::Xhigh,
            ReasoningEffort::Max,
        ]
        .into_iter()
        .map(thinking_budget)
        .collect();
        assert_eq!(
            budgets,
            [None, Some(1024), Some(2048), Some(8192), Some(16_384), Some(32_000), Some(32_000)]
        );
    }

    #[test]
    fn budget_is_capped_below_max_tokens() {
        let config = thinking_config(&target(true), &request(Some(ReasoningEffort::High)), 10_000);
        assert_eq!(config, Some(ThinkingConfig::Enabled { budget_tokens: 9_999 }));
        let config = thinking_config(&target(true), &request(Some(ReasoningEffort::Low)), 64_000);
        assert_eq!(config, Some(ThinkingConfig::Enabled { budget_tokens: 2048 }));
    }

    #[test]
    fn no_room_for_the_minimum_means_no_thinking() {
        assert_eq!(thinking_config(&target(true), &request(Some(ReasoningEffort::High)), 1024), None);
        assert_eq!(
            thinking_config(&target(true), &request(Some(ReasoningEffort::High)), 1025),
            Some(ThinkingConfig::Enabled { budget_tokens: 1024 })
        );
    }

    #[test]
    fn only_reasoning_models_asked_to_think_get_thinking() {
        assert_eq!(thinking_config(&target(false), &request(Some(ReasoningEffort::High)), 8192), None);
        assert_eq!(thinking_config(&target(true), &request(None), 8192), None);
        assert_eq!(
            thinking_config(&target(true), &request(Some(ReasoningEffort::Off)), 8192),
            Some(ThinkingConfig::Disabled)
        );
    }

    #[test]
    fn a_forced_tool_choice_wins_over_thinking() {
        let tool = llm::ToolSpec { name: "t".into(), description: None, parameters: serde_json::json!({}) };
        let mut forced = request(Some(ReasoningEffort::High));
        forced.tools = vec![tool];
        forced.tool_choice = Some(ToolChoice::Tool("t".into()));
        assert_eq!(thinking_config(&target(true), &forced, 32_000), None);
        forced.tool_choice = Some(ToolChoice::Auto);
        assert!(thinking_config(&target(true), &forced, 32_000).is_some());
    }
}
