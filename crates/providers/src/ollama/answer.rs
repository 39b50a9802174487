//! [`AnswerBuilder`]: what one `/api/chat` object means, as events. Shared by the stream decoder (one
//! object per NDJSON line) and the non-streaming decoder (one object for the whole answer).
//!
//! Per object, in this order: `message.thinking` (or `message.reasoning`) is reasoning,
//! `message.content` is answer text (inline `<think>` from older Ollama versions or models without
//! the thinking capability is split off by the [`EventShaper`]), `message.tool_calls` are complete
//! calls (start, one delta with the whole arguments, end). `done: true` ends the answer with its
//! `done_reason` and the counts `prompt_eval_count` (input) and `eval_count` (output). An `error`
//! object is an upstream fault.

use llm::{ModelRequest, StopReason, StreamEvent, Usage};

use super::line::ChatLine;
use crate::classify::{classify_finish_reason, ErrorSignal};
use crate::decode::StreamFault;
use crate::shape::EventShaper;
use crate::target::Target;

/// Turns `/api/chat` objects into events.
pub(crate) struct AnswerBuilder {
    shaper: EventShaper,
    /// Tool calls seen so far: the key of the next one, and the number in generated ids.
    calls: u64,
}

impl AnswerBuilder {
    pub fn new(target: &Target, request: &ModelRequest) -> Self {
        AnswerBuilder { shaper: EventShaper::new(target, request), calls: 0 }
    }

    /// Whether the terminal object (`done: true`) was applied.
    pub fn is_done(&self) -> bool {
        self.shaper.is_finished()
    }

    /// Applies one object. `raw` is its text, kept for the error signal. Objects after the terminal
    /// one are ignored.
    pub fn apply(
        &mut self,
        line: ChatLine,
        raw: &str,
        out: &mut Vec<StreamEvent>,
    ) -> Result<(), StreamFault> {
        if self.is_done() {
            return Ok(());
        }
        if line.is_error() {
            return Err(StreamFault::Upstream { signal: ErrorSignal::from_body(None, raw, None) });
        }
        if let Some(message) = line.message {
            if let Some(thinking) = message.thinking.as_deref().or(message.reasoning.as_deref()) {
                self.shaper.thinking(thinking, out);
            }
            if let Some(content) = message.content.as_deref() {
                self.shaper.text(content, out);
            }
            for call in message.tool_calls.into_iter().flatten() {
                let key = self.calls;
                self.calls += 1;
                let id = match call.id {
                    Some(id) if !id.is_empty() => id,
                    _ => format!("call_{key}"),
                };
                self.shaper.tool_call_start(key, &id, &call.function.name, out);
                self.shaper.tool_call_delta(key, &call.function.arguments_json(), out);
                self.shaper.tool_call_end(key, out);
            }
        }
        if line.done {
            let stop = stop_reason(line.done_reason.as_deref())?;
            if line.prompt_eval_count.is_some() || line.eval_count.is_some() {
                // Go `omitempty`: an absent count is zero (a fully cached prompt has no
                // `prompt_eval_count`). Both absent means the server reported nothing.
                self.shaper.set_usage(Usage {
                    input: line.prompt_eval_count.unwrap_or(0),
                    output: line.eval_count.unwrap_or(0),
                    ..Usage::default()
                });
            }
            self.shaper.finish(stop, out);
        }
        Ok(())
    }

    /// Ends an answer that has no terminal marker of its own (a non-streaming body without `done`).
    pub fn finish_without_marker(&mut self, out: &mut Vec<StreamEvent>) {
        self.shaper.finish(StopReason::EndTurn, out);
    }
}

/// The stop reason of `done_reason`. `stop`, `load` and `unload` (and none) are a normal end; a tool
/// call turns it into tool use in the shaper. A reason that means failure is an upstream fault.
fn stop_reason(done_reason: Option<&str>) -> Result<StopReason, StreamFault> {
    let Some(reason) = done_reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(StopReason::EndTurn);
    };
    match reason.to_ascii_lowercase().as_str() {
        "stop" | "load" | "unload" | "tool_calls" => Ok(StopReason::EndTurn),
        "length" => Ok(StopReason::MaxTokens),
        "content_filter" => Ok(StopReason::ContentFilter),
        other if classify_finish_reason(other).is_some() => Err(StreamFault::Upstream {
            signal: ErrorSignal::from_message(format!("Ollama ended the answer with finish_reason: {other}")),
        }),
        _ => Ok(StopReason::EndTurn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_reasons_map_to_stop_reasons() {
        assert_eq!(stop_reason(None), Ok(StopReason::EndTurn));
        assert_eq!(stop_reason(Some("stop")), Ok(StopReason::EndTurn));
        assert_eq!(stop_reason(Some("load")), Ok(StopReason::EndTurn));
        assert_eq!(stop_reason(Some("length")), Ok(StopReason::MaxTokens));
        assert_eq!(stop_reason(Some("something_new")), Ok(StopReason::EndTurn));
    }

    #[test]
    fn a_failure_reason_is_an_upstream_fault() {
        let Err(StreamFault::Upstream { signal }) = stop_reason(Some("error")) else {
            panic!("`error` must fail the answer");
        };
        assert_eq!(signal.classify(), llm::FailoverReason::ServerError);
    }
}
