//! The conversation as `/api/chat` messages.
//!
//! - The system prompt is a leading `system` message.
//! - Text blocks of a message are joined with a newline into `content` (always a string here).
//! - Images become base64 strings in `images` (no `data:` prefix); they are dropped when the model's
//!   `input` does not list `"image"`. Ollama does not fetch URLs, so an image URL that is not a
//!   `data:` URL cannot be sent and fails the request.
//! - Assistant tool calls become `tool_calls: [{function: {name, arguments: object}}]`.
//! - Tool results become one `tool` message each, named by `tool_name` (taken from the result, or
//!   from the call it answers). Ollama matches results to calls by name and order, not by id.
//! - Prior reasoning is replayed in `thinking` only for reasoning models; others never see it.

use std::collections::HashMap;

use llm::{ContentBlock, ImageSource, Message, ModelRequest, Role};
use serde_json::{Map, Value};
use wire::ollama::{ChatMessage, ToolCall, ToolCallFunction};

use crate::request::RequestError;
use crate::target::Target;

/// The request's system prompt and messages in Ollama's shape.
pub(crate) fn chat_messages(
    target: &Target,
    request: &ModelRequest,
) -> Result<Vec<ChatMessage>, RequestError> {
    let mapper = Mapper {
        images: target.model.accepts_images(),
        replay_thinking: target.model.reasoning,
        call_names: call_names(&request.messages),
    };
    let mut out = Vec::with_capacity(request.messages.len() + 1);
    if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
        out.push(ChatMessage { role: "system".into(), content: system.to_owned(), ..ChatMessage::default() });
    }
    for message in &request.messages {
        mapper.message(message, &mut out)?;
    }
    Ok(out)
}

struct Mapper<'a> {
    /// The model takes image input.
    images: bool,
    /// The model reasons: its earlier reasoning goes back in `thinking`.
    replay_thinking: bool,
    /// Tool-call id → tool name, for results that do not name their tool.
    call_names: HashMap<&'a str, &'a str>,
}

impl Mapper<'_> {
    fn message(&self, message: &Message, out: &mut Vec<ChatMessage>) -> Result<(), RequestError> {
        let mut text = Vec::new();
        let mut images = Vec::new();
        let mut thinking = Vec::new();
        let mut calls = Vec::new();
        let mut results = 0;
        for block in &message.content {
            match block {
                ContentBlock::Text { text: t } => text.push(t.as_str()),
                ContentBlock::Image { source } => self.image(source, &mut images)?,
                ContentBlock::Thinking { thinking: t, .. } => thinking.push(t.as_str()),
                ContentBlock::ToolCall { name, arguments, .. } => calls.push(tool_call(name, arguments)),
                ContentBlock::ToolResult { .. } => {
                    out.push(self.tool_result(block)?);
                    results += 1;
                }
            }
        }
        let role = match message.role {
            Role::User => "user",
            Role::Assistant => "assistant",
            // Tool messages hold results, already emitted above; other blocks in them are dropped.
            Role::Tool => return Ok(()),
        };
        let is_assistant = message.role == Role::Assistant;
        let thinking = thinking.concat();
        let message = ChatMessage {
            role: role.into(),
            content: text.join("\n"),
            images: (!images.is_empty()).then_some(images),
            thinking: (is_assistant && self.replay_thinking && !thinking.is_empty()).then_some(thinking),
            tool_calls: (is_assistant && !calls.is_empty()).then_some(calls),
            tool_name: None,
        };
        // A message that only carried tool results (Anthropic-style user turn) has nothing left to say.
        let empty = message.content.is_empty()
            && message.images.is_none()
            && message.thinking.is_none()
            && message.tool_calls.is_none();
        if !(empty && results > 0) {
            out.push(message);
        }
        Ok(())
    }

    fn tool_result(&self, block: &ContentBlock) -> Result<ChatMessage, RequestError> {
        let ContentBlock::ToolResult { tool_call_id, name, content, .. } = block else {
            unreachable!("called with tool results only");
        };
        let mut text = Vec::new();
        let mut images = Vec::new();
        for part in content {
            match part {
                ContentBlock::Text { text: t } => text.push(t.as_str()),
                ContentBlock::Image { source } => self.image(source, &mut images)?,
                _ => {}
            }
        }
        let tool_name =
            name.clone().or_else(|| self.call_names.get(tool_call_id.as_str()).map(|n| (*n).to_owned()));
        Ok(ChatMessage {
            role: "tool".into(),
            content: text.join("\n"),
            images: (!images.is_empty()).then_some(images),
            tool_name,
            ..ChatMessage::default()
        })
    }

    fn image(&self, source: &ImageSource, images: &mut Vec<String>) -> Result<(), RequestError> {
        if self.images {
            images.push(base64_image(source)?);
        }
        Ok(())
    }
}

/// Tool-call ids of the conversation and the tools they call.
fn call_names(messages: &[Message]) -> HashMap<&str, &str> {
    messages
        .iter()
        .flat_map(|m| &m.content)
        .filter_map(|block| match block {
            ContentBlock::ToolCall { id, name, .. } => Some((id.as_str(), name.as_str())),
            _ => None,
        })
        .collect()
}

/// A call in Ollama's shape: arguments as an object (a JSON text is parsed; anything else is `{}`).
fn tool_call(name: &str, arguments: &Value) -> ToolCall {
    let arguments = match arguments {
        Value::Object(map) => map.clone(),
        Value::String(text) => serde_json::from_str::<Map<String, Value>>(text).unwrap_or_default(),
        _ => Map::new(),
    };
    ToolCall { function: ToolCallFunction { index: None, name: name.to_owned(), arguments } }
}

/// The base64 payload of an image, without any `data:` prefix.
fn base64_image(source: &ImageSource) -> Result<String, RequestError> {
    match source {
        ImageSource::Base64 { data, .. } => Ok(strip_data_url(data).unwrap_or(data).to_owned()),
        ImageSource::Url { url } => strip_data_url(url).map(str::to_owned).ok_or_else(|| {
            let shown: String = url.chars().take(80).collect();
            RequestError(format!(
                "Ollama's /api/chat takes images only as base64 data and does not fetch URLs ({shown}); \
                 send the image inline as base64, or use a model whose API accepts image URLs"
            ))
        }),
    }
}

/// The payload of a `data:<type>;base64,<payload>` URL.
fn strip_data_url(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("data:")?;
    let (header, payload) = rest.split_once(',')?;
    header.ends_with(";base64").then_some(payload)
}
