//! [`ChunkReader`]: what the parts of a Chat Completions message mean, whether they arrive as
//! streamed deltas or as one whole `message` — reasoning fields, content, tool-call fragments, the
//! finish reason and usage — fed to the [`EventShaper`].
//!
//! - `reasoning_content` / `reasoning` are thinking; the field name follows as the thinking
//!   block's signature so the turn can be replayed under the same key. Like every signature it comes
//!   at the end of its block (before the first content, tool call or finish after the run): a
//!   signature closes a thinking block, so one sent early would split it in two.
//! - `content` goes through the shaper's text path (inline `<think>` tags, text tool calls).
//! - Tool-call fragments are keyed by `index`; a fragment that repeats an index with a *different*
//!   `id` is a new call (servers that send every whole call as index 0). Arguments are passed
//!   through as raw fragments; fragments that come before the call's name are held until it comes.
//! - Finish reasons: `stop` → end turn, `length` → max tokens, `tool_calls` / `function_call` →
//!   tool use, `content_filter` → content filter; `error` and other failure reasons
//!   ([`classify_finish_reason`]) are an upstream fault.
//! - Usage: input = prompt − cached, cache read = cached, output = completion tokens (reasoning
//!   included), reasoning = `completion_tokens_details.reasoning_tokens`.

use llm::{FailoverReason, ModelRequest, StopReason, StreamEvent, Usage};
use wire::openai_chat::{ChatUsage, FinishReason};

use crate::classify::{classify_finish_reason, ErrorSignal};
use crate::decode::StreamFault;
use crate::shape::EventShaper;
use crate::target::Target;

/// One upstream tool call: its index, its id (empty until known), our key, and its name once seen.
#[derive(Debug)]
struct CallSlot {
    index: u32,
    id: String,
    key: u64,
    /// Argument fragments that came before the name.
    held_arguments: String,
}

/// Interprets one answer's message parts (see the module docs).
pub(super) struct ChunkReader {
    shaper: EventShaper,
    provider: String,
    calls: Vec<CallSlot>,
    next_key: u64,
    /// The reasoning field of the thinking run in progress (its signature is sent when it ends).
    reasoning_run: Option<&'static str>,
    stop: Option<StopReason>,
}

impl ChunkReader {
    pub(super) fn new(target: &Target, request: &ModelRequest) -> Self {
        ChunkReader {
            shaper: EventShaper::new(target, request),
            provider: target.model.provider.clone(),
            calls: Vec::new(),
            next_key: 0,
            reasoning_run: None,
            stop: None,
        }
    }

    /// Reasoning text from the field `field` (`reasoning_content` or `reasoning`).
    pub(super) fn reasoning(&mut self, field: &'static str, text: &str, out: &mut Vec<StreamEvent>) {
        if text.is_empty() {
            return;
        }
        if self.reasoning_run != Some(field) {
            self.end_reasoning_run(out);
            self.reasoning_run = Some(field);
        }
        self.shaper.thinking(text, out);
    }

    /// Closes the thinking run in progress with its signature (the field it came in).
    fn end_reasoning_run(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(field) = self.reasoning_run.take() {
            self.shaper.thinking_signature(field, out);
        }
    }

    /// Answer text (may hold inline reasoning tags).
    pub(super) fn content(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        if text.is_empty() {
            return;
        }
        self.end_reasoning_run(out);
        self.shaper.text(text, out);
    }

    /// One tool-call fragment.
    pub(super) fn tool_call(
        &mut self,
        index: u32,
        id: Option<&str>,
        name: Option<&str>,
        arguments: Option<&str>,
        out: &mut Vec<StreamEvent>,
    ) {
        self.end_reasoning_run(out);
        let id = id.filter(|id| !id.is_empty());
        let slot = self.slot_for(index, id);
        let key = self.calls[slot].key;
        if !self.shaper.has_tool_call(key) {
            match name.filter(|n| !n.is_empty()) {
                Some(name) => {
                    let call = &mut self.calls[slot];
                    let id = if call.id.is_empty() { format!("call_{key}") } else { call.id.clone() };
                    let held = std::mem::take(&mut call.held_arguments);
                    self.shaper.tool_call_start(key, &id, name, out);
                    self.shaper.tool_call_delta(key, &held, out);
                }
                None => {
                    self.calls[slot].held_arguments.push_str(arguments.unwrap_or_default());
                    return;
                }
            }
        }
        if let Some(arguments) = arguments {
            self.shaper.tool_call_delta(key, arguments, out);
        }
    }

    /// The slot of a fragment: the latest call with this index, or a new one when there is none or
    /// the fragment names a different id.
    fn slot_for(&mut self, index: u32, id: Option<&str>) -> usize {
        let existing = self.calls.iter().rposition(|c| c.index == index);
        if let Some(position) = existing {
            let call = &mut self.calls[position];
            match id {
                Some(id) if !call.id.is_empty() && call.id != id => {}
                Some(id) => {
                    if call.id.is_empty() {
                        call.id = id.to_owned();
                    }
                    return position;
                }
                None => return position,
            }
        }
        let key = self.next_key;
        self.next_key += 1;
        let id = id.unwrap_or_default().to_owned();
        self.calls.push(CallSlot { index, id, key, held_arguments: String::new() });
        self.calls.len() - 1
    }

    /// The choice's finish reason; a failure reason is an upstream fault.
    pub(super) fn finish_reason(&mut self, reason: &FinishReason) -> Result<(), StreamFault> {
        let stop = match reason {
            FinishReason::Stop => StopReason::EndTurn,
            FinishReason::Length => StopReason::MaxTokens,
            FinishReason::ToolCalls | FinishReason::FunctionCall => StopReason::ToolUse,
            FinishReason::ContentFilter => StopReason::ContentFilter,
            FinishReason::Other(other) => self.other_finish_reason(other)?,
        };
        self.stop = Some(stop);
        Ok(())
    }

    fn other_finish_reason(&self, reason: &str) -> Result<StopReason, StreamFault> {
        match classify_finish_reason(reason) {
            Some(FailoverReason::ContentFilter) => Ok(StopReason::ContentFilter),
            Some(FailoverReason::Refusal) => Ok(StopReason::Refusal),
            Some(_) => Err(StreamFault::Upstream {
                signal: ErrorSignal::from_message(format!("Provider finish_reason: {reason}"))
                    .with_provider(&self.provider),
            }),
            None => Ok(match reason {
                "max_tokens" => StopReason::MaxTokens,
                "tool_use" => StopReason::ToolUse,
                "stop_sequence" => StopReason::StopSequence,
                "refusal" => StopReason::Refusal,
                other => {
                    if !matches!(other, "end_turn" | "eos" | "eos_token") {
                        tracing::debug!(finish_reason = other, "unknown finish_reason read as end of turn");
                    }
                    StopReason::EndTurn
                }
            }),
        }
    }

    /// Usage as the server reported it (the last report wins).
    pub(super) fn usage(&mut self, usage: &ChatUsage) {
        let cached = usage.prompt_tokens_details.as_ref().and_then(|d| d.cached_tokens).unwrap_or(0);
        let reasoning =
            usage.completion_tokens_details.as_ref().and_then(|d| d.reasoning_tokens).unwrap_or(0);
        self.shaper.set_usage(Usage {
            input: usage.prompt_tokens.saturating_sub(cached),
            output: usage.completion_tokens,
            cache_read: cached,
            cache_write: 0,
            reasoning,
            estimated: false,
        });
    }

    /// An error reported inside the answer: `raw` is the whole JSON it came in.
    pub(super) fn upstream_error(&self, raw: &str) -> StreamFault {
        StreamFault::Upstream { signal: ErrorSignal::from_body(None, raw, Some(&self.provider)) }
    }

    /// The answer is complete: flushes and emits `Usage` and `Stop`.
    pub(super) fn finish(&mut self, out: &mut Vec<StreamEvent>) {
        self.end_reasoning_run(out);
        self.shaper.finish(self.stop.unwrap_or(StopReason::EndTurn), out);
    }
}
