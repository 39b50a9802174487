//! The [`Decoder`] of a Messages event stream.
//!
//! Events are read with the shared SSE decoder and parsed by their `type` (the SSE `event:` name
//! repeats it). `message_start` gives the prompt-side usage; each content block is opened by
//! `content_block_start` (see `content.rs`), fed by `content_block_delta` (`text_delta`,
//! `thinking_delta`, `signature_delta`, `input_json_delta` — tool arguments are passed through as
//! the raw fragments, keyed by the block index, so parallel calls never mix) and closed by
//! `content_block_stop`; `message_delta` gives the stop reason and cumulative output usage;
//! `message_stop` is the terminal event and the only successful end. `ping` and unknown events are
//! ignored, and so is anything after `message_stop` (some proxies append `data: [DONE]`).
//!
//! Failures: an `error` event (`{"type":"error","error":{"type":"overloaded_error",…}}`) is an
//! upstream fault read by the shared error classifier; data that is not a Messages event is
//! malformed; bytes that end before `message_stop` are a stream that ended without its terminal
//! event, never a success. A final event whose blank line never came still counts when its JSON is
//! whole.

use llm::{ModelRequest, StopReason, StreamEvent};
use serde_json::Value;
use wire::anthropic as w;
use wire::sse::{SseDecoder, SseEvent};

use super::content::{open_block, shaper, BlockKind};
use super::stop::stop_reason;
use super::usage::UsageReport;
use crate::classify::ErrorSignal;
use crate::decode::{StreamDecoder, StreamFault};
use crate::shape::EventShaper;
use crate::target::Target;

/// How much of an unparseable event a fault quotes.
const QUOTED_BYTES: usize = 160;

/// Decodes one streamed Messages answer.
pub struct Decoder {
    sse: SseDecoder,
    shaper: EventShaper,
    /// Block index → what it holds, in the order blocks opened.
    blocks: Vec<(u32, BlockKind)>,
    usage: UsageReport,
    stop: Option<StopReason>,
}

/// A decoder for the answer to `request`.
pub fn decoder(target: &Target, request: &ModelRequest) -> Decoder {
    Decoder {
        sse: SseDecoder::new(),
        shaper: shaper(target, request),
        blocks: Vec::new(),
        usage: UsageReport::default(),
        stop: None,
    }
}

impl StreamDecoder for Decoder {
    fn push(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        self.sse.push(bytes);
        loop {
            match self.sse.next_event() {
                Ok(Some(event)) => self.handle(&event, out)?,
                Ok(None) => return Ok(()),
                Err(error) => {
                    return Err(StreamFault::malformed(format!(
                        "the Anthropic Messages event stream could not be read: {error}"
                    )))
                }
            }
        }
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        let end = self.sse.finish();
        for event in &end.undelivered {
            self.handle(event, out)?;
        }
        if let Some(event) = end.incomplete_event.filter(|_| !self.shaper.is_finished()) {
            // The connection closed right after the last event's data line. Whole JSON still counts;
            // a cut-off one is the truncation reported below.
            if serde_json::from_str::<w::MessagesStreamEvent>(event.data()).is_ok() {
                self.handle(&event, out)?;
            }
        }
        if self.shaper.is_finished() {
            Ok(())
        } else {
            Err(StreamFault::EndedWithoutTerminal)
        }
    }
}

impl Decoder {
    fn handle(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        let data = event.data().trim();
        if self.shaper.is_finished() || data.is_empty() || data == "[DONE]" || event.event_type() == "ping" {
            return Ok(());
        }
        let parsed = match serde_json::from_str::<w::MessagesStreamEvent>(data) {
            Ok(parsed) => parsed,
            Err(error) => return Err(unreadable_event(event, data, &error)),
        };
        match parsed {
            w::MessagesStreamEvent::MessageStart { message } => {
                self.usage = UsageReport::from_message(&message.usage);
            }
            w::MessagesStreamEvent::ContentBlockStart { index, content_block } => {
                let kind = open_block(&mut self.shaper, u64::from(index), &content_block, out);
                match self.blocks.iter_mut().find(|(i, _)| *i == index) {
                    Some(slot) => slot.1 = kind,
                    None => self.blocks.push((index, kind)),
                }
            }
            w::MessagesStreamEvent::ContentBlockDelta { index, delta } => self.delta(index, delta, out),
            w::MessagesStreamEvent::ContentBlockStop { index } => {
                if let Some(BlockKind::Tool { .. }) = self.kind(index) {
                    self.shaper.tool_call_end(u64::from(index), out);
                }
            }
            w::MessagesStreamEvent::MessageDelta { delta, usage } => {
                if let Some(usage) = &usage {
                    self.usage.apply_delta(usage);
                }
                if delta.stop_reason.is_some() {
                    let stop = stop_reason(delta.stop_reason.as_ref())
                        .map_err(|signal| StreamFault::Upstream { signal })?;
                    self.stop = Some(stop);
                }
            }
            w::MessagesStreamEvent::MessageStop => {
                if let Some(usage) = self.usage.reported() {
                    self.shaper.set_usage(usage);
                }
                self.shaper.finish(self.stop.unwrap_or(StopReason::EndTurn), out);
            }
            w::MessagesStreamEvent::Error { .. } => {
                return Err(StreamFault::Upstream { signal: ErrorSignal::from_body(None, data, None) })
            }
            w::MessagesStreamEvent::Ping | w::MessagesStreamEvent::Unknown => {}
        }
        Ok(())
    }

    fn delta(&mut self, index: u32, delta: w::ContentDelta, out: &mut Vec<StreamEvent>) {
        let kind = self.kind(index);
        if kind == Some(BlockKind::Ignored) {
            return;
        }
        match delta {
            w::ContentDelta::TextDelta { text } => self.shaper.text(&text, out),
            w::ContentDelta::ThinkingDelta { thinking } => self.shaper.thinking(&thinking, out),
            w::ContentDelta::SignatureDelta { signature } => self.shaper.thinking_signature(&signature, out),
            w::ContentDelta::InputJsonDelta { partial_json } => {
                if kind == Some(BlockKind::Tool { input_sent: false }) {
                    self.shaper.tool_call_delta(u64::from(index), &partial_json, out);
                }
            }
            w::ContentDelta::CitationsDelta { .. } | w::ContentDelta::Unknown => {}
        }
    }

    fn kind(&self, index: u32) -> Option<BlockKind> {
        self.blocks.iter().find(|(i, _)| *i == index).map(|(_, kind)| *kind)
    }
}

/// The fault for data that is not a Messages event: an upstream error when it carries an `error`
/// object in another shape (an OpenAI-style `{"error":…}` from a proxy), malformed otherwise.
fn unreadable_event(event: &SseEvent, data: &str, error: &serde_json::Error) -> StreamFault {
    let value = serde_json::from_str::<Value>(data).ok();
    if event.event_type() == "error" || value.as_ref().is_some_and(|v| v.get("error").is_some()) {
        return StreamFault::Upstream { signal: ErrorSignal::from_body(None, data, None) };
    }
    let mut end = data.len().min(QUOTED_BYTES);
    while !data.is_char_boundary(end) {
        end -= 1;
    }
    let ellipsis = if end < data.len() { "…" } else { "" };
    StreamFault::malformed(format!(
        "a `{}` event of the Anthropic Messages stream is not a valid event ({error}): {}{ellipsis}",
        event.event_type(),
        &data[..end]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_all;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::FailoverReason;

    fn decode(sse: &str) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
        let target = Target::new(ResolvedModel::new("p", "m", Api::AnthropicMessages, "http://127.0.0.1:1"));
        decode_all(&mut decoder(&target, &ModelRequest::default()), sse.as_bytes())
    }

    fn event(name: &str, data: &str) -> String {
        format!("event: {name}\ndata: {data}\n\n")
    }

    const START: &str = r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}"#;
    const STOP: &str = r#"{"type":"message_stop"}"#;

    #[test]
    fn a_last_event_without_its_blank_line_still_counts_when_whole() {
        let sse = event("message_start", START) + "event: message_stop\ndata: " + STOP;
        let (events, result) = decode(&sse);
        assert_eq!(result, Ok(()));
        assert!(matches!(events.last(), Some(StreamEvent::Stop { reason: StopReason::EndTurn })));
    }

    #[test]
    fn server_tool_blocks_are_ignored_and_client_tools_may_come_whole() {
        let sse = [
            event("message_start", START),
            event(
                "content_block_start",
                r#"{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}"#,
            ),
            event(
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"x\"}"}}"#,
            ),
            event("content_block_stop", r#"{"type":"content_block_stop","index":0}"#),
            event(
                "content_block_start",
                r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_time","input":{"tz":"UTC"}}}"#,
            ),
            event("content_block_stop", r#"{"type":"content_block_stop","index":1}"#),
            event("message_delta", r#"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#),
            event("message_stop", STOP),
        ]
        .concat();
        let (events, result) = decode(&sse);
        assert_eq!(result, Ok(()));
        assert_eq!(
            events[..3],
            [
                StreamEvent::ToolCallStart { index: 0, id: "toolu_1".into(), name: "get_time".into() },
                StreamEvent::ToolCallDelta { index: 0, arguments: r#"{"tz":"UTC"}"#.into() },
                StreamEvent::ToolCallEnd { index: 0 },
            ]
        );
        assert_eq!(events.last(), Some(&StreamEvent::Stop { reason: StopReason::ToolUse }));
    }

    #[test]
    fn events_after_message_stop_are_ignored() {
        let text = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}"#;
        let sse = event("message_start", START)
            + &event("message_stop", STOP)
            + &event("content_block_delta", text);
        let (events, result) = decode(&(sse + "data: [DONE]\n\n"));
        assert_eq!(result, Ok(()));
        assert!(!events.iter().any(|e| matches!(e, StreamEvent::TextDelta { .. })));
    }

    #[test]
    fn an_openai_style_error_from_a_proxy_is_an_upstream_fault() {
        let sse = event("message_start", START)
            + "data: {\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"rate_limit_error\"}}\n\n";
        match decode(&sse).1 {
            Err(StreamFault::Upstream { signal }) => assert_eq!(signal.classify(), FailoverReason::RateLimit),
            other => panic!("expected an upstream fault, got {other:?}"),
        }
    }

    #[test]
    fn a_failure_stop_reason_is_an_upstream_fault() {
        let delta = r#"{"type":"message_delta","delta":{"stop_reason":"error"},"usage":{"output_tokens":2}}"#;
        let sse =
            event("message_start", START) + &event("message_delta", delta) + &event("message_stop", STOP);
        match decode(&sse).1 {
            Err(StreamFault::Upstream { signal }) => {
                assert_eq!(signal.classify(), FailoverReason::ServerError)
            }
            other => panic!("expected an upstream fault, got {other:?}"),
        }
    }

    #[test]
    fn data_that_is_not_an_event_is_malformed_and_quoted() {
        let sse = event("message_start", START)
            + &event("content_block_delta", "{\"type\":\"content_block_delta\"");
        match decode(&sse).1 {
            Err(StreamFault::Malformed { detail }) => {
                assert!(
                    detail.contains("content_block_delta") && detail.contains("Anthropic Messages"),
                    "{detail}"
                )
            }
            other => panic!("expected malformed, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_stream_did_not_finish() {
        assert_eq!(decode(""), (Vec::new(), Err(StreamFault::EndedWithoutTerminal)));
        assert_eq!(decode(&event("message_start", START)).1, Err(StreamFault::EndedWithoutTerminal));
    }
}
