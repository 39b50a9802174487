//! [`ResponsesDecoder`]: the SSE stream of a Responses call, event by event, into `StreamEvent`s.
//!
//! Each SSE `data:` is one JSON event whose `type` names it (the `event:` line repeats it and is not
//! needed). The stream must end with `response.completed` or `response.incomplete`; bytes that end
//! before it are [`StreamFault::EndedWithoutTerminal`]. A `data:` that is not JSON is
//! [`StreamFault::Malformed`]. Error events (`error`, `response.failed`) and the bare `{"error": …}`
//! data LM Studio streams when a prompt overflows the loaded context are
//! [`StreamFault::Upstream`]. A `[DONE]` marker, which some proxies append, is ignored.

use llm::{ModelRequest, StreamEvent};
use serde_json::Value;
use wire::openai_responses::ResponsesStreamEvent;
use wire::sse::{SseDecoder, SseEvent};

use super::mapper::ResponseMapper;
use crate::classify::ErrorSignal;
use crate::decode::{StreamDecoder, StreamFault};
use crate::target::Target;

/// Decodes one streamed Responses answer (see the module docs).
pub struct ResponsesDecoder {
    sse: SseDecoder,
    mapper: ResponseMapper,
    provider: String,
}

impl ResponsesDecoder {
    pub fn new(target: &Target, request: &ModelRequest) -> Self {
        ResponsesDecoder {
            sse: SseDecoder::new(),
            mapper: ResponseMapper::new(target, request),
            provider: target.model.provider.clone(),
        }
    }

    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        let data = event.data();
        if event.is_done() || data.trim().is_empty() {
            return Ok(());
        }
        match serde_json::from_str::<ResponsesStreamEvent>(data) {
            Ok(parsed) => self.mapper.apply(parsed, out),
            Err(error) => Err(self.unreadable(event, data, &error)),
        }
    }

    /// A `data:` that is not a known event: an error object of another shape, or malformed.
    fn unreadable(&self, event: &SseEvent, data: &str, error: &serde_json::Error) -> StreamFault {
        if let Ok(value) = serde_json::from_str::<Value>(data) {
            let is_error = value.get("type").and_then(Value::as_str) == Some("error")
                || value.get("error").is_some_and(|e| !e.is_null())
                || event.event_type() == "error";
            if is_error {
                let signal = ErrorSignal::from_body(None, data, Some(&self.provider));
                return StreamFault::Upstream { signal };
            }
        }
        let name = event.event_type();
        StreamFault::malformed(format!(
            "openai-responses stream: event `{name}` is not a readable Responses event ({error}): {}",
            excerpt(data)
        ))
    }
}

impl StreamDecoder for ResponsesDecoder {
    fn push(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        self.sse.push(bytes);
        loop {
            let next = self.sse.next_event().map_err(|e| {
                StreamFault::malformed(format!("openai-responses stream: unreadable SSE framing: {e}"))
            })?;
            let Some(event) = next else {
                return Ok(());
            };
            self.event(&event, out)?;
        }
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        let end = self.sse.finish();
        for event in &end.undelivered {
            self.event(event, out)?;
        }
        if !self.mapper.is_finished() {
            // A last event whose blank line never came still counts when it is whole (its JSON
            // parses); a cut-off one means the stream broke before its terminal event.
            if let Some(event) = end.incomplete_event.as_ref() {
                if serde_json::from_str::<Value>(event.data()).is_ok() {
                    self.event(event, out)?;
                }
            }
        }
        if self.mapper.is_finished() {
            Ok(())
        } else {
            Err(StreamFault::EndedWithoutTerminal)
        }
    }
}

/// The start of a bad chunk, for the error text.
fn excerpt(data: &str) -> &str {
    let end = data.char_indices().nth(120).map_or(data.len(), |(i, _)| i);
    &data[..end]
}
