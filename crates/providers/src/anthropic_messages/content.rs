//! One content block of an answer → shaper calls. Used for `content_block_start` (where text and
//! thinking start empty and tool input is `{}`) and for every block of a non-streamed message (where
//! they are complete), so both paths treat a block the same way.
//!
//! - `text` → [`EventShaper::text`] (inline `<think>` tags of local models are split off there);
//! - `thinking` → [`EventShaper::thinking`], its `signature` → [`EventShaper::thinking_signature`];
//! - `redacted_thinking` → its `data` as a thinking signature (the only carrier the event stream
//!   has for opaque reasoning; `messages.rs` replays a signature without text as
//!   `redacted_thinking`);
//! - `tool_use` → a tool call keyed by the block index; a non-empty `input` is sent as one argument
//!   fragment (proxies that do not stream arguments put them there);
//! - server-tool blocks and anything unknown are ignored (they are not the model's answer).

use llm::StreamEvent;
use serde_json::Value;
use wire::anthropic as w;

use crate::shape::EventShaper;
use crate::target::Target;

/// The shaper for one answer.
///
/// For a reasoning model the shaper normally holds the start of the text back until it knows the
/// text did not begin inside reasoning whose `<think>` opener sat in the prompt. Only a local
/// server passing raw model text (a LiteLLM or llama.cpp route in front of a Qwen3-style chat
/// template) produces that; Anthropic and the hosted Anthropic-compatible APIs (MiniMax, Kimi,
/// Synthetic) send reasoning in thinking blocks, and any inline tags they leak come with their
/// opener, which the shaper splits off without holding anything. So the hold applies to local
/// targets only, and even there ends as soon as a thinking block or a tool call shows the server
/// separates reasoning itself.
pub(super) fn shaper(target: &Target, request: &llm::ModelRequest) -> EventShaper {
    if target.model.reasoning && !target.local {
        let mut plain = target.clone();
        plain.model.reasoning = false;
        return EventShaper::new(&plain, request);
    }
    EventShaper::new(target, request)
}

/// What a block index of a stream holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    Text,
    Thinking,
    /// A tool call; `input_sent` when its arguments came whole with the start.
    Tool {
        input_sent: bool,
    },
    Ignored,
}

/// Emits what a block holds as it opens, and says what it is.
pub(super) fn open_block(
    shaper: &mut EventShaper,
    key: u64,
    block: &w::ContentBlock,
    out: &mut Vec<StreamEvent>,
) -> BlockKind {
    match block {
        w::ContentBlock::Text { text, .. } => {
            shaper.text(text, out);
            BlockKind::Text
        }
        w::ContentBlock::Thinking { thinking, signature } => {
            shaper.thinking(thinking, out);
            if let Some(signature) = signature {
                shaper.thinking_signature(signature, out);
            }
            BlockKind::Thinking
        }
        w::ContentBlock::RedactedThinking { data } => {
            shaper.thinking_signature(data, out);
            BlockKind::Thinking
        }
        w::ContentBlock::ToolUse { id, name, input, .. } => {
            shaper.tool_call_start(key, id, name, out);
            let input_sent = has_arguments(input);
            if input_sent {
                match input {
                    Value::String(text) => shaper.tool_call_delta(key, text, out),
                    other => shaper.tool_call_delta(key, &other.to_string(), out),
                }
            }
            BlockKind::Tool { input_sent }
        }
        w::ContentBlock::Other(value) => open_loose_block(shaper, value, out),
        w::ContentBlock::Image { .. } | w::ContentBlock::ToolResult { .. } => BlockKind::Ignored,
    }
}

/// A block whose shape did not match the typed ones: a `text` or `thinking` start without its
/// (empty) text field, as some proxies send, or a block type clawgate does not model.
fn open_loose_block(shaper: &mut EventShaper, value: &Value, out: &mut Vec<StreamEvent>) -> BlockKind {
    let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or_default();
    match field("type") {
        "text" => {
            shaper.text(field("text"), out);
            BlockKind::Text
        }
        "thinking" => {
            shaper.thinking(field("thinking"), out);
            shaper.thinking_signature(field("signature"), out);
            BlockKind::Thinking
        }
        _ => BlockKind::Ignored,
    }
}

fn has_arguments(input: &Value) -> bool {
    match input {
        Value::Object(map) => !map.is_empty(),
        Value::String(text) => !text.trim().is_empty(),
        Value::Null => false,
        _ => true,
    }
}
