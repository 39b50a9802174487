//! Folds a [`StreamEvent`] stream into the final assistant message.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{ContentBlock, Message, Role, StopReason, StreamEvent, Usage};

/// The assembled answer of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct AssembledResponse {
    pub message: Message,
    pub usage: Option<Usage>,
    /// `None` when the stream ended without a stop event (an incomplete answer).
    pub stop: Option<StopReason>,
}

#[derive(Default)]
struct PendingCall {
    id: String,
    name: String,
    arguments: String,
}

/// Accumulates events in order. Consecutive text (or thinking) deltas join into one block; tool calls
/// are assembled by index from their argument fragments.
#[derive(Default)]
pub struct MessageAssembler {
    blocks: Vec<ContentBlock>,
    calls: BTreeMap<usize, (usize, PendingCall)>,
    usage: Option<Usage>,
    stop: Option<StopReason>,
}

impl MessageAssembler {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, event: &StreamEvent) {
        match event {
            StreamEvent::TextDelta { text } => match self.blocks.last_mut() {
                Some(ContentBlock::Text { text: t }) => t.push_str(text),
                _ => self.blocks.push(ContentBlock::text(text.clone())),
            },
            // A signature closes a thinking block: text after it starts the next block.
            StreamEvent::ThinkingDelta { text } => match self.blocks.last_mut() {
                Some(ContentBlock::Thinking { thinking, signature: None, .. }) => thinking.push_str(text),
                _ => self.blocks.push(ContentBlock::thinking(text.clone())),
            },
            StreamEvent::ThinkingSignature { signature: sig } => {
                // It belongs to the thinking block just streamed; one with no open block before it is a
                // block of its own (Anthropic's redacted thinking carries only its opaque data).
                match self.blocks.last_mut() {
                    Some(ContentBlock::Thinking { signature: signature @ None, .. }) => {
                        *signature = Some(sig.clone())
                    }
                    _ => self.blocks.push(ContentBlock::Thinking {
                        thinking: String::new(),
                        signature: Some(sig.clone()),
                        encrypted: None,
                    }),
                }
            }
            StreamEvent::ToolCallStart { index, id, name } => {
                let slot = self.blocks.len();
                self.blocks.push(ContentBlock::ToolCall {
                    id: id.clone(),
                    name: name.clone(),
                    arguments: Value::Null,
                });
                self.calls.insert(
                    *index,
                    (slot, PendingCall { id: id.clone(), name: name.clone(), arguments: String::new() }),
                );
            }
            StreamEvent::ToolCallDelta { index, arguments } => {
                if let Some((_, call)) = self.calls.get_mut(index) {
                    call.arguments.push_str(arguments);
                }
            }
            StreamEvent::ToolCallEnd { .. } => {}
            StreamEvent::Usage { usage } => self.usage = Some(*usage),
            StreamEvent::Stop { reason } => self.stop = Some(*reason),
        }
    }

    pub fn finish(mut self) -> AssembledResponse {
        for (slot, call) in std::mem::take(&mut self.calls).into_values() {
            let arguments = parse_arguments(&call.arguments);
            self.blocks[slot] = ContentBlock::ToolCall { id: call.id, name: call.name, arguments };
        }
        AssembledResponse {
            message: Message { role: Role::Assistant, content: self.blocks },
            usage: self.usage,
            stop: self.stop,
        }
    }
}

/// Tool arguments as JSON; an empty string is `{}`, unparsable text is kept as a JSON string.
pub fn parse_arguments(raw: &str) -> Value {
    if raw.trim().is_empty() {
        return Value::Object(Default::default());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembles_text_thinking_and_parallel_calls() {
        let mut a = MessageAssembler::new();
        for e in [
            StreamEvent::ThinkingDelta { text: "let me ".into() },
            StreamEvent::ThinkingDelta { text: "think".into() },
            StreamEvent::TextDelta { text: "Hi".into() },
            StreamEvent::ToolCallStart { index: 0, id: "a".into(), name: "x".into() },
            StreamEvent::ToolCallStart { index: 1, id: "b".into(), name: "y".into() },
            StreamEvent::ToolCallDelta { index: 1, arguments: "{\"q\":".into() },
            StreamEvent::ToolCallDelta { index: 0, arguments: "{}".into() },
            StreamEvent::ToolCallDelta { index: 1, arguments: "2}".into() },
            StreamEvent::Stop { reason: StopReason::ToolUse },
        ] {
            a.push(&e);
        }
        let r = a.finish();
        assert_eq!(r.stop, Some(StopReason::ToolUse));
        assert_eq!(r.message.content[0], ContentBlock::thinking("let me think"));
        assert_eq!(r.message.text(), "Hi");
        assert_eq!(
            r.message.content[3],
            ContentBlock::ToolCall {
                id: "b".into(),
                name: "y".into(),
                arguments: serde_json::json!({"q":2})
            }
        );
    }
}

#[cfg(test)]
mod signature_tests {
    use super::*;

    #[test]
    fn each_signature_closes_its_own_thinking_block() {
        let mut a = MessageAssembler::new();
        for e in [
            StreamEvent::ThinkingDelta { text: "first".into() },
            StreamEvent::ThinkingSignature { signature: "sig-1".into() },
            StreamEvent::ThinkingSignature { signature: "redacted-data".into() },
            StreamEvent::ThinkingDelta { text: "second".into() },
            StreamEvent::ThinkingSignature { signature: "sig-2".into() },
            StreamEvent::TextDelta { text: "answer".into() },
        ] {
            a.push(&e);
        }
        let blocks = a.finish().message.content;
        let thinking: Vec<(&str, Option<&str>)> = blocks
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Thinking { thinking, signature, .. } => {
                    Some((thinking.as_str(), signature.as_deref()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            thinking,
            [("first", Some("sig-1")), ("", Some("redacted-data")), ("second", Some("sig-2"))]
        );
        assert_eq!(blocks.last(), Some(&ContentBlock::text("answer")));
    }
}
