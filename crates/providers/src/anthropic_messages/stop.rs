//! Stop reasons of the Messages API → [`StopReason`], or the failure a stop reason stands for.
//!
//! | `stop_reason` | result |
//! |---|---|
//! | `end_turn`, absent | `EndTurn` |
//! | `pause_turn` | `EndTurn` (a server-tool turn paused; the answer so far is complete and the caller may continue it) |
//! | `max_tokens`, `model_context_window_exceeded` | `MaxTokens` (the answer was cut by a limit) |
//! | `stop_sequence` | `StopSequence` |
//! | `tool_use` | `ToolUse` |
//! | `refusal` | `Refusal` |
//! | other values (proxies) | OpenAI-style names (`stop`, `length`, `tool_calls`, `content_filter`) map to their meaning; a failure reason (`error`, `abort`, `network_error`, …) is a stream failure; anything else is `EndTurn` |

use llm::StopReason;
use wire::anthropic as w;

use crate::classify::{classify_finish_reason, ErrorSignal};
use llm::FailoverReason;

/// The stop reason, or the failure signal when the reason says the call failed.
pub(super) fn stop_reason(reason: Option<&w::StopReason>) -> Result<StopReason, ErrorSignal> {
    let Some(reason) = reason else {
        return Ok(StopReason::EndTurn);
    };
    Ok(match reason {
        w::StopReason::EndTurn | w::StopReason::PauseTurn => StopReason::EndTurn,
        w::StopReason::MaxTokens | w::StopReason::ModelContextWindowExceeded => StopReason::MaxTokens,
        w::StopReason::StopSequence => StopReason::StopSequence,
        w::StopReason::ToolUse => StopReason::ToolUse,
        w::StopReason::Refusal => StopReason::Refusal,
        w::StopReason::Other(other) => return other_reason(other),
    })
}

fn other_reason(reason: &str) -> Result<StopReason, ErrorSignal> {
    let normalized = reason.trim().to_ascii_lowercase();
    match normalized.as_str() {
        "stop" | "" => return Ok(StopReason::EndTurn),
        "length" => return Ok(StopReason::MaxTokens),
        "tool_calls" | "function_call" => return Ok(StopReason::ToolUse),
        _ => {}
    }
    match classify_finish_reason(&normalized) {
        None => Ok(StopReason::EndTurn),
        Some(FailoverReason::ContentFilter) => Ok(StopReason::ContentFilter),
        Some(FailoverReason::Refusal) => Ok(StopReason::Refusal),
        Some(FailoverReason::ContextOverflow) => Ok(StopReason::MaxTokens),
        Some(_) => Err(ErrorSignal::from_message(format!("stop_reason: {reason}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(reason: &str) -> Result<StopReason, FailoverReason> {
        let parsed: w::StopReason = serde_json::from_value(serde_json::json!(reason)).unwrap();
        stop_reason(Some(&parsed)).map_err(|signal| signal.classify())
    }

    #[test]
    fn anthropic_reasons() {
        assert_eq!(stop_reason(None), Ok(StopReason::EndTurn));
        assert_eq!(of("end_turn"), Ok(StopReason::EndTurn));
        assert_eq!(of("pause_turn"), Ok(StopReason::EndTurn));
        assert_eq!(of("max_tokens"), Ok(StopReason::MaxTokens));
        assert_eq!(of("model_context_window_exceeded"), Ok(StopReason::MaxTokens));
        assert_eq!(of("stop_sequence"), Ok(StopReason::StopSequence));
        assert_eq!(of("tool_use"), Ok(StopReason::ToolUse));
        assert_eq!(of("refusal"), Ok(StopReason::Refusal));
    }

    #[test]
    fn proxy_reasons() {
        assert_eq!(of("stop"), Ok(StopReason::EndTurn));
        assert_eq!(of("length"), Ok(StopReason::MaxTokens));
        assert_eq!(of("tool_calls"), Ok(StopReason::ToolUse));
        assert_eq!(of("content_filter"), Ok(StopReason::ContentFilter));
        assert_eq!(of("something_new"), Ok(StopReason::EndTurn));
        assert_eq!(of("error"), Err(FailoverReason::ServerError));
        assert_eq!(of("network_error"), Err(FailoverReason::Timeout));
    }
}
