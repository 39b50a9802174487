//! Anthropic Messages egress: `message_start`, content blocks one at a time (`thinking` with
//! `thinking_delta` and `signature_delta`, `text` with `text_delta`, `tool_use` with `input_json_delta`),
//! `message_delta` with the stop reason and usage, and `message_stop`; `event: error` on failure. Or
//! the whole message.
//!
//! Anthropic blocks never interleave, while upstream tool calls may (parallel calls by index): a call
//! that starts while another block is open is held, its argument fragments buffered, and written whole
//! when the open block closes.

use bytes::BytesMut;
use llm::{AssembledResponse, ContentBlock, StopReason, StreamEvent, Usage};
use wire::anthropic::{
    ContentBlock as Block, ContentDelta, MessageDelta, MessageDeltaUsage, MessageResponse,
    MessagesStreamEvent as Ev, StopReason as WireStop, Usage as WireUsage,
};

use super::{write_event, AnswerContext, StreamEncoder};
use crate::api_error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    Thinking,
    Tool(usize),
}

/// A tool call waiting for the open block to close.
struct HeldCall {
    index: usize,
    id: String,
    name: String,
    arguments: String,
    ended: bool,
}

/// Streams one answer as Messages events.
pub struct MessagesEncoder {
    ctx: AnswerContext,
    next_block: u32,
    open: Option<(OpenKind, u32)>,
    held: Vec<HeldCall>,
    usage: Option<Usage>,
    done: bool,
}

impl MessagesEncoder {
    pub fn new(ctx: AnswerContext) -> Self {
        Self { ctx, next_block: 0, open: None, held: Vec::new(), usage: None, done: false }
    }

    fn emit(out: &mut BytesMut, event: &Ev) {
        write_event(out, event.type_name(), event);
    }

    fn open_block(&mut self, out: &mut BytesMut, kind: OpenKind, content_block: Block) -> u32 {
        let index = self.next_block;
        self.next_block += 1;
        Self::emit(out, &Ev::ContentBlockStart { index, content_block });
        self.open = Some((kind, index));
        index
    }

    fn close_open(&mut self, out: &mut BytesMut) {
        if let Some((_, index)) = self.open.take() {
            Self::emit(out, &Ev::ContentBlockStop { index });
        }
    }

    /// Closes the open block and writes every held call whole.
    fn settle(&mut self, out: &mut BytesMut) {
        self.close_open(out);
        while !self.held.is_empty() {
            let call = self.held.remove(0);
            let index = self.open_block(out, OpenKind::Tool(call.index), tool_block(call.id, call.name));
            if !call.arguments.is_empty() {
                let delta = ContentDelta::InputJsonDelta { partial_json: call.arguments };
                Self::emit(out, &Ev::ContentBlockDelta { index, delta });
            }
            if !call.ended {
                // Still streaming: keep it open for its next fragments; later calls stay held.
                return;
            }
            self.close_open(out);
        }
    }

    /// Makes sure a block of `kind` is open, opening it with `start` if needed.
    fn ensure(&mut self, out: &mut BytesMut, kind: OpenKind, start: impl FnOnce() -> Block) -> u32 {
        match self.open {
            Some((open, index)) if open == kind => index,
            _ => {
                self.settle(out);
                self.open_block(out, kind, start())
            }
        }
    }
}

fn tool_block(id: String, name: String) -> Block {
    Block::ToolUse { id, name, input: serde_json::json!({}), cache_control: None }
}

impl StreamEncoder for MessagesEncoder {
    fn start(&mut self, out: &mut BytesMut) {
        let message = MessageResponse {
            id: self.ctx.id.clone(),
            kind: "message".into(),
            role: "assistant".into(),
            content: Vec::new(),
            model: self.ctx.model.clone(),
            stop_reason: None,
            stop_sequence: None,
            usage: WireUsage::default(),
        };
        Self::emit(out, &Ev::MessageStart { message });
    }

    fn event(&mut self, event: &StreamEvent, out: &mut BytesMut) {
        if self.done {
            return;
        }
        match event {
            StreamEvent::ThinkingDelta { text } => {
                let index = self.ensure(out, OpenKind::Thinking, || Block::Thinking {
                    thinking: String::new(),
                    signature: Some(String::new()),
                });
                let delta = ContentDelta::ThinkingDelta { thinking: text.clone() };
                Self::emit(out, &Ev::ContentBlockDelta { index, delta });
            }
            StreamEvent::ThinkingSignature { signature } if super::is_field_name_marker(signature) => {}
            StreamEvent::ThinkingSignature { signature } => {
                let index = self.ensure(out, OpenKind::Thinking, || Block::Thinking {
                    thinking: String::new(),
                    signature: Some(String::new()),
                });
                let delta = ContentDelta::SignatureDelta { signature: signature.clone() };
                Self::emit(out, &Ev::ContentBlockDelta { index, delta });
            }
            StreamEvent::TextDelta { text } => {
                let index = self.ensure(out, OpenKind::Text, || Block::text(String::new()));
                let delta = ContentDelta::TextDelta { text: text.clone() };
                Self::emit(out, &Ev::ContentBlockDelta { index, delta });
            }
            StreamEvent::ToolCallStart { index, id, name } => match self.open {
                Some((OpenKind::Tool(_), _)) => self.held.push(HeldCall {
                    index: *index,
                    id: id.clone(),
                    name: name.clone(),
                    arguments: String::new(),
                    ended: false,
                }),
                _ => {
                    self.settle(out);
                    self.open_block(out, OpenKind::Tool(*index), tool_block(id.clone(), name.clone()));
                }
            },
            StreamEvent::ToolCallDelta { index, arguments } => match self.open {
                Some((OpenKind::Tool(open), block)) if open == *index => {
                    let delta = ContentDelta::InputJsonDelta { partial_json: arguments.clone() };
                    Self::emit(out, &Ev::ContentBlockDelta { index: block, delta });
                }
                _ => match self.held.iter_mut().find(|c| c.index == *index) {
                    Some(call) => call.arguments.push_str(arguments),
                    None => tracing::warn!(index, "tool-call fragment for a call already closed; dropped"),
                },
            },
            StreamEvent::ToolCallEnd { index } => match self.open {
                Some((OpenKind::Tool(open), _)) if open == *index => self.settle(out),
                _ => {
                    if let Some(call) = self.held.iter_mut().find(|c| c.index == *index) {
                        call.ended = true;
                    }
                }
            },
            StreamEvent::Usage { usage } => self.usage = Some(*usage),
            StreamEvent::Stop { reason } => {
                while self.open.is_some() || !self.held.is_empty() {
                    self.settle(out);
                }
                let usage = self.usage.unwrap_or_default();
                let delta = MessageDelta { stop_reason: Some(stop_reason(*reason)), stop_sequence: None };
                let usage = MessageDeltaUsage {
                    output_tokens: usage.output,
                    input_tokens: Some(usage.input),
                    cache_creation_input_tokens: (usage.cache_write > 0).then_some(usage.cache_write),
                    cache_read_input_tokens: (usage.cache_read > 0).then_some(usage.cache_read),
                    extra: Default::default(),
                };
                Self::emit(out, &Ev::MessageDelta { delta, usage: Some(usage) });
                Self::emit(out, &Ev::MessageStop);
                self.done = true;
            }
        }
    }

    fn fail(&mut self, error: &ApiError, out: &mut BytesMut) {
        Self::emit(out, &Ev::Error { error: error.anthropic_body().error });
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

/// Anthropic's stop reason.
pub fn stop_reason(reason: StopReason) -> WireStop {
    match reason {
        StopReason::EndTurn => WireStop::EndTurn,
        StopReason::MaxTokens => WireStop::MaxTokens,
        StopReason::ToolUse => WireStop::ToolUse,
        StopReason::StopSequence => WireStop::StopSequence,
        StopReason::ContentFilter | StopReason::Refusal => WireStop::Refusal,
    }
}

/// The whole message.
pub fn complete(ctx: &AnswerContext, answer: &AssembledResponse) -> MessageResponse {
    let content = answer
        .message
        .content
        .iter()
        .filter_map(|block| match block {
            ContentBlock::Text { text } => Some(Block::text(text.clone())),
            ContentBlock::Thinking { thinking, signature, encrypted } => {
                match (thinking.is_empty(), encrypted) {
                    (true, Some(data)) => Some(Block::RedactedThinking { data: data.clone() }),
                    _ => Some(Block::Thinking {
                        thinking: thinking.clone(),
                        // Anthropic SDKs require the field; an empty one marks "nothing to replay".
                        signature: Some(super::client_signature(signature.as_ref()).unwrap_or_default()),
                    }),
                }
            }
            ContentBlock::ToolCall { id, name, arguments } => Some(Block::ToolUse {
                id: id.clone(),
                name: name.clone(),
                input: arguments.clone(),
                cache_control: None,
            }),
            ContentBlock::ToolResult { .. } | ContentBlock::Image { .. } => None,
        })
        .collect();
    let usage = answer.usage.unwrap_or_default();
    MessageResponse {
        id: ctx.id.clone(),
        kind: "message".into(),
        role: "assistant".into(),
        content,
        model: ctx.model.clone(),
        stop_reason: Some(stop_reason(answer.stop.unwrap_or(StopReason::EndTurn))),
        stop_sequence: None,
        usage: WireUsage {
            input_tokens: usage.input,
            output_tokens: usage.output,
            cache_creation_input_tokens: (usage.cache_write > 0).then_some(usage.cache_write),
            cache_read_input_tokens: (usage.cache_read > 0).then_some(usage.cache_read),
            extra: Default::default(),
        },
    }
}
