//! The conversation as Chat Completions `messages`.
//!
//! - The system prompt is a `system` message; `developer` only for a reasoning model on
//!   api.openai.com that declares `compat.supportsDeveloperRole: true`.
//! - User text and images (`image_url` data URLs; dropped when the model's `input` lacks `image`).
//!   Text-only content is always one plain string (parts joined by a newline): llama-cpp-python's
//!   server answers a text-parts array with a 500 ("can only concatenate str (not "list") to str",
//!   recorded with scripts/real-llama-cpp.sh), and a string means the same to every other server.
//!   Parts are sent only when there are images, and even then everything is one string when
//!   `compat.requiresStringContent` (images dropped).
//! - Assistant turns: text, `tool_calls` with JSON-text arguments, and reasoning per the replay
//!   hygiene below.
//! - Tool results: one `tool` message each (`name` too with `compat.requiresToolResultName`); images
//!   in results follow in a user message when the model takes images.
//! - `compat.requiresAssistantAfterToolResult`: a user message right after tool results gets a
//!   bridging assistant turn first.
//!
//! Replay hygiene (openclaw-behaviour §2.2): historical thinking is stripped, so local servers never
//! see earlier turns' reasoning — except for the current turn's tool-call continuation and for models
//! with `reasoning: true`. Kept reasoning goes back under the field it came in (the block's
//! `signature`: `reasoning_content` or `reasoning`), or as `<thinking>` text with
//! `compat.requiresThinkingAsText`.

use config::types::Compat;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, Role};
use serde_json::{json, Map, Value};

use crate::target::Target;

/// What OpenClaw puts between tool results and a following user message when the server requires it.
const TOOL_RESULT_BRIDGE: &str = "I have processed the tool results.";
/// The content of a tool result that produced nothing (some servers reject an empty `content`).
const EMPTY_TOOL_RESULT: &str = "(no output)";
/// Reasoning field names of Chat Completions servers; a thinking block's `signature` holds one.
const REASONING_FIELDS: [&str; 2] = ["reasoning_content", "reasoning"];

/// Builds the `messages` array for `request` on `target`.
pub(super) fn chat_messages(target: &Target, request: &ModelRequest) -> Vec<Value> {
    let mut writer = MessageWriter::new(target);
    if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
        let model = &target.model;
        let developer = model.reasoning
            && model.compat.supports_developer_role == Some(true)
            && target.is_native_openai();
        let role = if developer { "developer" } else { "system" };
        writer.out.push(json!({"role": role, "content": system}));
    }
    let turn_start = current_turn_start(&request.messages);
    for (position, message) in request.messages.iter().enumerate() {
        match message.role {
            Role::User => writer.user(message),
            Role::Tool => writer.tool_results(&message.content),
            Role::Assistant => writer.assistant(message, position >= turn_start),
        }
    }
    writer.out
}

/// Whether the history holds tool calls or results (then `tools: []` is sent even with no tools).
pub(super) fn has_tool_history(messages: &[Message]) -> bool {
    messages
        .iter()
        .flat_map(|m| &m.content)
        .any(|b| matches!(b, ContentBlock::ToolCall { .. } | ContentBlock::ToolResult { .. }))
}

/// Index of the first message after the last real user message (one that is not only tool
/// results): assistant turns from there on are the current turn's continuation.
fn current_turn_start(messages: &[Message]) -> usize {
    messages
        .iter()
        .rposition(|m| {
            m.role == Role::User && m.content.iter().any(|b| !matches!(b, ContentBlock::ToolResult { .. }))
        })
        .map_or(0, |i| i + 1)
}

struct MessageWriter<'a> {
    compat: &'a Compat,
    reasoning_model: bool,
    accepts_images: bool,
    out: Vec<Value>,
    last_was_tool: bool,
}

impl<'a> MessageWriter<'a> {
    fn new(target: &'a Target) -> Self {
        MessageWriter {
            compat: &target.model.compat,
            reasoning_model: target.model.reasoning,
            accepts_images: target.model.accepts_images(),
            out: Vec::new(),
            last_was_tool: false,
        }
    }

    fn push(&mut self, message: Value, is_tool: bool) {
        if !is_tool && self.last_was_tool && self.compat.requires_assistant_after_tool_result == Some(true) {
            let is_user = message["role"] == "user";
            if is_user {
                self.out.push(json!({"role": "assistant", "content": TOOL_RESULT_BRIDGE}));
            }
        }
        self.last_was_tool = is_tool;
        self.out.push(message);
    }

    fn user(&mut self, message: &Message) {
        // Tool results inside a user message (Anthropic-style history) go first, as `tool` messages.
        let results: Vec<ContentBlock> = message
            .content
            .iter()
            .filter(|b| matches!(b, ContentBlock::ToolResult { .. }))
            .cloned()
            .collect();
        if !results.is_empty() {
            self.tool_results(&results);
        }
        let parts: Vec<Value> = message.content.iter().filter_map(|b| self.user_part(b)).collect();
        if let Some(content) = self.user_content(parts) {
            self.push(json!({"role": "user", "content": content}), false);
        }
    }

    fn user_part(&self, block: &ContentBlock) -> Option<Value> {
        match block {
            ContentBlock::Text { text } => Some(json!({"type": "text", "text": text})),
            ContentBlock::Image { source } => self.image_part(source),
            _ => None,
        }
    }

    fn image_part(&self, source: &ImageSource) -> Option<Value> {
        if !self.accepts_images {
            tracing::debug!("image dropped: the model's `input` does not list \"image\"");
            return None;
        }
        let url = match source {
            ImageSource::Base64 { media_type, data } => format!("data:{media_type};base64,{data}"),
            ImageSource::Url { url } => url.clone(),
        };
        Some(json!({"type": "image_url", "image_url": {"url": url}}))
    }

    /// Text-only content as one string, content with images as parts (all text joined into one
    /// string with `requiresStringContent`, images then dropped); `None` when nothing is left.
    fn user_content(&self, parts: Vec<Value>) -> Option<Value> {
        let only_text = parts.iter().all(|p| p["type"] == "text");
        if self.compat.requires_string_content == Some(true) || only_text {
            if !only_text {
                tracing::debug!("images dropped: compat.requiresStringContent sends content as a string");
            }
            let text: String = parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join("\n");
            return (!parts.is_empty()).then_some(Value::String(text));
        }
        (!parts.is_empty()).then_some(Value::Array(parts))
    }

    fn tool_results(&mut self, blocks: &[ContentBlock]) {
        let mut images = Vec::new();
        for block in blocks {
            let ContentBlock::ToolResult { tool_call_id, name, content, .. } = block else {
                tracing::debug!("non-result block in a tool message skipped");
                continue;
            };
            let text = result_text(content);
            let mut message = Map::new();
            message.insert("role".into(), json!("tool"));
            message.insert("content".into(), json!(if text.is_empty() { EMPTY_TOOL_RESULT } else { &text }));
            message.insert("tool_call_id".into(), json!(tool_call_id));
            if let (Some(true), Some(name)) = (self.compat.requires_tool_result_name, name) {
                message.insert("name".into(), json!(name));
            }
            self.push(Value::Object(message), true);
            images.extend(content.iter().filter_map(|b| match b {
                ContentBlock::Image { source } if self.accepts_images => self.image_part(source),
                _ => None,
            }));
        }
        if !images.is_empty() {
            let mut parts = vec![json!({"type": "text", "text": "Attached image(s) from tool result:"})];
            parts.extend(images);
            self.push(json!({"role": "user", "content": parts}), false);
        }
    }

    fn assistant(&mut self, message: &Message, current_turn: bool) {
        let text: String = message
            .content
            .iter()
            .filter_map(|b| if let ContentBlock::Text { text } = b { Some(text.as_str()) } else { None })
            .collect();
        let tool_calls: Vec<Value> = message.content.iter().filter_map(tool_call).collect();
        let keep_reasoning = self.reasoning_model || (current_turn && !tool_calls.is_empty());
        let thinking: Vec<(&str, Option<&str>)> = message
            .content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Thinking { thinking, signature, .. } if !thinking.trim().is_empty() => {
                    Some((thinking.as_str(), signature.as_deref()))
                }
                _ => None,
            })
            .filter(|_| keep_reasoning)
            .collect();

        let mut out = Map::new();
        out.insert("role".into(), json!("assistant"));
        let mut content = text;
        if !thinking.is_empty() {
            if self.compat.requires_thinking_as_text == Some(true) {
                let joined = thinking.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n\n");
                content = format!("<thinking>{joined}</thinking>{content}");
            } else if let Some(field) = self.reasoning_field(thinking[0].1) {
                let joined = thinking.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n");
                out.insert(field.into(), json!(joined));
            }
        }
        if self.compat.requires_reasoning_content_on_assistant_messages == Some(true)
            && self.reasoning_model
            && !out.contains_key("reasoning_content")
        {
            out.insert("reasoning_content".into(), json!(""));
        }
        if content.is_empty() && tool_calls.is_empty() {
            return;
        }
        let content = if content.is_empty() { Value::Null } else { Value::String(content) };
        out.insert("content".into(), content);
        if !tool_calls.is_empty() {
            out.insert("tool_calls".into(), Value::Array(tool_calls));
        }
        self.push(Value::Object(out), false);
    }

    /// The field kept reasoning is replayed under: the one it arrived in, else `reasoning_content`
    /// for servers that require it; `None` drops it.
    fn reasoning_field(&self, signature: Option<&str>) -> Option<&'static str> {
        if let Some(field) = signature.and_then(|s| REASONING_FIELDS.iter().find(|f| **f == s)) {
            return Some(field);
        }
        (self.compat.requires_reasoning_content_on_assistant_messages == Some(true))
            .then_some("reasoning_content")
    }
}

fn tool_call(block: &ContentBlock) -> Option<Value> {
    let ContentBlock::ToolCall { id, name, arguments } = block else { return None };
    let arguments = match arguments {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    Some(json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}}))
}

/// The text of a tool result's content (text blocks joined; other blocks skipped).
fn result_text(content: &[ContentBlock]) -> String {
    content
        .iter()
        .filter_map(|b| if let ContentBlock::Text { text } = b { Some(text.as_str()) } else { None })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;

    fn target(base_url: &str, setup: impl FnOnce(&mut ResolvedModel)) -> Target {
        let mut model = ResolvedModel::new("vllm", "m", Api::OpenaiCompletions, base_url);
        setup(&mut model);
        Target::new(model)
    }

    fn local(setup: impl FnOnce(&mut ResolvedModel)) -> Target {
        target("http://127.0.0.1:8000/v1", setup)
    }

    fn request(system: Option<&str>, messages: Vec<Message>) -> ModelRequest {
        ModelRequest { system: system.map(str::to_owned), messages, ..ModelRequest::default() }
    }

    fn thinking(text: &str, field: &str) -> ContentBlock {
        ContentBlock::Thinking { thinking: text.into(), signature: Some(field.into()), encrypted: None }
    }

    fn call(id: &str) -> ContentBlock {
        ContentBlock::ToolCall {
            id: id.into(),
            name: "get_weather".into(),
            arguments: json!({"city": "Paris"}),
        }
    }

    fn result(id: &str, text: &str) -> ContentBlock {
        ContentBlock::ToolResult {
            tool_call_id: id.into(),
            name: Some("get_weather".into()),
            content: vec![ContentBlock::text(text)],
            is_error: false,
        }
    }

    fn msg(role: Role, content: Vec<ContentBlock>) -> Message {
        Message { role, content }
    }

    fn png() -> ContentBlock {
        ContentBlock::Image {
            source: ImageSource::Base64 { media_type: "image/png".into(), data: "iVBO".into() },
        }
    }

    #[test]
    fn system_and_text_messages_are_plain_strings() {
        let out = chat_messages(
            &local(|_| {}),
            &request(Some("Be brief."), vec![Message::user("Hi"), Message::assistant("Hello!")]),
        );
        assert_eq!(
            out,
            vec![
                json!({"role": "system", "content": "Be brief."}),
                json!({"role": "user", "content": "Hi"}),
                json!({"role": "assistant", "content": "Hello!"}),
            ]
        );
    }

    #[test]
    fn developer_role_only_for_native_openai_reasoning_models_that_declare_it() {
        let setup = |m: &mut ResolvedModel| {
            m.reasoning = true;
            m.compat.supports_developer_role = Some(true);
        };
        let req = request(Some("sys"), vec![Message::user("Hi")]);
        assert_eq!(chat_messages(&target("https://api.openai.com/v1", setup), &req)[0]["role"], "developer");
        assert_eq!(chat_messages(&target("https://proxy.example.com/v1", setup), &req)[0]["role"], "system");
        assert_eq!(chat_messages(&target("https://api.openai.com/v1", |_| {}), &req)[0]["role"], "system");
    }

    #[test]
    fn images_become_data_urls_or_are_dropped() {
        let req = request(None, vec![msg(Role::User, vec![ContentBlock::text("What is this?"), png()])]);
        let vision = chat_messages(&local(|m| m.input.push("image".into())), &req);
        assert_eq!(
            vision[0]["content"],
            json!([{"type": "text", "text": "What is this?"},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}}])
        );
        let text_only = chat_messages(&local(|_| {}), &req);
        assert_eq!(text_only[0]["content"], "What is this?");
    }

    #[test]
    fn requires_string_content_joins_text_parts() {
        let req = request(
            None,
            vec![msg(Role::User, vec![ContentBlock::text("one"), ContentBlock::text("two"), png()])],
        );
        // Without image input the image is dropped and text-only content is one string.
        let text_only = chat_messages(&local(|_| {}), &req);
        assert_eq!(text_only[0]["content"], "one\ntwo");
        let with_image = chat_messages(&local(|m| m.input.push("image".into())), &req);
        let parts = with_image[0]["content"].as_array().expect("parts when an image is sent");
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1], json!({"type": "text", "text": "two"}));
        let strict = chat_messages(
            &local(|m| {
                m.input.push("image".into());
                m.compat.requires_string_content = Some(true);
            }),
            &req,
        );
        assert_eq!(strict[0]["content"], "one\ntwo");
    }

    #[test]
    fn tool_calls_and_results_round_trip() {
        let req = request(
            None,
            vec![
                Message::user("Weather?"),
                msg(Role::Assistant, vec![call("call_1")]),
                msg(Role::Tool, vec![result("call_1", "18C")]),
                Message::user("Thanks"),
            ],
        );
        let out = chat_messages(&local(|_| {}), &req);
        assert_eq!(
            out[1],
            json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]})
        );
        assert_eq!(out[2], json!({"role": "tool", "content": "18C", "tool_call_id": "call_1"}));
        assert_eq!(out[3], json!({"role": "user", "content": "Thanks"}));

        let named = chat_messages(
            &local(|m| {
                m.compat.requires_tool_result_name = Some(true);
                m.compat.requires_assistant_after_tool_result = Some(true);
            }),
            &req,
        );
        assert_eq!(named[2]["name"], "get_weather");
        assert_eq!(named[3], json!({"role": "assistant", "content": TOOL_RESULT_BRIDGE}));
        assert_eq!(named[4], json!({"role": "user", "content": "Thanks"}));
    }

    #[test]
    fn tool_results_inside_user_messages_become_tool_messages() {
        let req = request(
            None,
            vec![
                msg(Role::Assistant, vec![call("call_1")]),
                msg(Role::User, vec![result("call_1", ""), ContentBlock::text("go on")]),
            ],
        );
        let out = chat_messages(&local(|_| {}), &req);
        assert_eq!(out[1], json!({"role": "tool", "content": EMPTY_TOOL_RESULT, "tool_call_id": "call_1"}));
        assert_eq!(out[2], json!({"role": "user", "content": "go on"}));
    }

    #[test]
    fn historical_thinking_is_stripped_but_the_current_tool_turn_keeps_it() {
        let req = request(
            None,
            vec![
                Message::user("first"),
                msg(
                    Role::Assistant,
                    vec![thinking("old thoughts", "reasoning_content"), ContentBlock::text("A")],
                ),
                Message::user("second"),
                msg(Role::Assistant, vec![thinking("new thoughts", "reasoning"), call("call_9")]),
                msg(Role::Tool, vec![result("call_9", "ok")]),
            ],
        );
        let out = chat_messages(&local(|_| {}), &req);
        assert_eq!(out[1], json!({"role": "assistant", "content": "A"}));
        assert_eq!(out[3]["reasoning"], "new thoughts");
        assert!(out[3].get("reasoning_content").is_none());
    }

    #[test]
    fn reasoning_models_replay_reasoning_under_its_field() {
        let req = request(
            None,
            vec![
                Message::user("first"),
                msg(
                    Role::Assistant,
                    vec![thinking("old thoughts", "reasoning_content"), ContentBlock::text("A")],
                ),
                Message::user("second"),
            ],
        );
        let out = chat_messages(&local(|m| m.reasoning = true), &req);
        assert_eq!(out[1], json!({"role": "assistant", "content": "A", "reasoning_content": "old thoughts"}));
    }

    #[test]
    fn required_reasoning_content_is_sent_empty_when_there_is_none() {
        let req = request(None, vec![Message::user("q"), Message::assistant("A"), Message::user("again")]);
        let out = chat_messages(
            &local(|m| {
                m.reasoning = true;
                m.compat.requires_reasoning_content_on_assistant_messages = Some(true);
            }),
            &req,
        );
        assert_eq!(out[1], json!({"role": "assistant", "content": "A", "reasoning_content": ""}));
    }

    #[test]
    fn thinking_as_text_wraps_kept_reasoning_in_tags() {
        let req = request(
            None,
            vec![
                Message::user("q"),
                msg(Role::Assistant, vec![thinking("hmm", "reasoning"), ContentBlock::text("A")]),
            ],
        );
        let out = chat_messages(
            &local(|m| {
                m.reasoning = true;
                m.compat.requires_thinking_as_text = Some(true);
            }),
            &req,
        );
        assert_eq!(out[1], json!({"role": "assistant", "content": "<thinking>hmm</thinking>A"}));
    }

    #[test]
    fn tool_history_is_detected() {
        assert!(!has_tool_history(&[Message::user("x")]));
        assert!(has_tool_history(&[msg(Role::Assistant, vec![call("c")])]));
    }
}
