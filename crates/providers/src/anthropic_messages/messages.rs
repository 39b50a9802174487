//! Conversation history → Messages turns.
//!
//! - Roles: `user` and `assistant`; tool results (`Role::Tool`) travel as `tool_result` blocks inside
//!   a user turn. Consecutive turns of the same role are merged into one (the API wants strict
//!   alternation), and inside a user turn the tool results come first, as the API requires.
//! - Text: empty text blocks are left out (the API rejects them); a turn left with no blocks at all
//!   is dropped.
//! - Images: `image` blocks with a base64 or URL source, only when the model's `input` includes
//!   `"image"`; otherwise dropped, as OpenClaw does.
//! - Tool calls: `tool_use` with the arguments as a JSON object (arguments that are not an object
//!   are parsed from text when possible, else sent as `{}`).
//! - Thinking (assistant turns only): a block with `encrypted` data is replayed as
//!   `redacted_thinking`; a block with text and an Anthropic signature as `thinking` with its
//!   `signature`; a block with a signature but no text (how this transport records a redacted block
//!   it received) as `redacted_thinking`. Blocks without a signature — reasoning from another
//!   provider, or a field name such as `reasoning_content` that an OpenAI-compatible server left
//!   there — cannot be verified by the API and are dropped. With `compat.requiresThinkingAsText`
//!   thinking is replayed as `<thinking>…</thinking>` text instead.

use llm::{ContentBlock, ImageSource, Message, Role};
use serde_json::{Map, Value};
use wire::anthropic as w;

/// What the target accepts.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct HistoryOptions {
    /// The model takes images (`input` includes `"image"`).
    pub images: bool,
    /// `compat.requiresThinkingAsText`: replay thinking as tagged text.
    pub thinking_as_text: bool,
}

/// The `messages` array of a request.
pub(super) fn history(messages: &[Message], options: HistoryOptions) -> Vec<w::Message> {
    let mut turns: Vec<(w::Role, Vec<w::ContentBlock>)> = Vec::with_capacity(messages.len());
    for message in messages {
        let role = match message.role {
            Role::Assistant => w::Role::Assistant,
            Role::User | Role::Tool => w::Role::User,
        };
        let mut blocks = Vec::with_capacity(message.content.len());
        for block in &message.content {
            map_block(block, role, options, &mut blocks);
        }
        if blocks.is_empty() {
            continue;
        }
        match turns.last_mut() {
            Some((last, existing)) if *last == role => existing.append(&mut blocks),
            _ => turns.push((role, blocks)),
        }
    }
    turns
        .into_iter()
        .map(|(role, mut blocks)| {
            if role == w::Role::User {
                // Stable: tool results first, everything else after, each in its original order.
                blocks.sort_by_key(|b| !matches!(b, w::ContentBlock::ToolResult { .. }));
            }
            w::Message { role, content: w::MessageContent::Blocks(blocks) }
        })
        .collect()
}

fn map_block(block: &ContentBlock, role: w::Role, options: HistoryOptions, out: &mut Vec<w::ContentBlock>) {
    match block {
        ContentBlock::Text { text } => {
            if !text.is_empty() {
                out.push(w::ContentBlock::text(text.clone()));
            }
        }
        ContentBlock::Image { source } => {
            if options.images {
                out.push(image(source));
            }
        }
        ContentBlock::ToolCall { id, name, arguments } => out.push(w::ContentBlock::ToolUse {
            id: id.clone(),
            name: name.clone(),
            input: tool_input(arguments),
            cache_control: None,
        }),
        ContentBlock::ToolResult { tool_call_id, content, is_error, .. } => {
            out.push(tool_result(tool_call_id, content, *is_error, options))
        }
        ContentBlock::Thinking { thinking, signature, encrypted } => {
            if role != w::Role::Assistant {
                return;
            }
            if options.thinking_as_text {
                if !thinking.is_empty() {
                    out.push(w::ContentBlock::text(format!("<thinking>{thinking}</thinking>")));
                }
                return;
            }
            if let Some(data) = encrypted.as_ref().filter(|d| !d.is_empty()) {
                out.push(w::ContentBlock::RedactedThinking { data: data.clone() });
                return;
            }
            let Some(signature) = signature.as_deref().filter(|s| is_anthropic_signature(s)) else {
                return;
            };
            if thinking.is_empty() {
                out.push(w::ContentBlock::RedactedThinking { data: signature.to_owned() });
            } else {
                out.push(w::ContentBlock::Thinking {
                    thinking: thinking.clone(),
                    signature: Some(signature.to_owned()),
                });
            }
        }
    }
}

/// Whether a thinking signature can be an Anthropic one: not empty, and not one of the short field
/// names (`reasoning_content`, `reasoning`) OpenAI-compatible transports record in its place.
fn is_anthropic_signature(signature: &str) -> bool {
    let field_name = signature.len() <= 32 && signature.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    !signature.is_empty() && !field_name
}

fn image(source: &ImageSource) -> w::ContentBlock {
    let source = match source {
        ImageSource::Base64 { media_type, data } => {
            w::ImageSource::Base64 { media_type: media_type.clone(), data: data.clone() }
        }
        ImageSource::Url { url } => w::ImageSource::Url { url: url.clone() },
    };
    w::ContentBlock::Image { source, cache_control: None }
}

/// Tool arguments as the JSON object `tool_use.input` must be.
fn tool_input(arguments: &Value) -> Value {
    match arguments {
        Value::Object(_) => arguments.clone(),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(parsed @ Value::Object(_)) => parsed,
            _ => Value::Object(Map::new()),
        },
        _ => Value::Object(Map::new()),
    }
}

fn tool_result(
    tool_call_id: &str,
    content: &[ContentBlock],
    is_error: bool,
    options: HistoryOptions,
) -> w::ContentBlock {
    let only_text = content.iter().all(|b| matches!(b, ContentBlock::Text { .. }));
    let content = if only_text {
        let text: String = content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        (!text.is_empty()).then_some(w::ToolResultContent::Text(text))
    } else {
        let mut blocks = Vec::with_capacity(content.len());
        for block in content {
            match block {
                ContentBlock::Text { text } if !text.is_empty() => {
                    blocks.push(w::ContentBlock::text(text.clone()))
                }
                ContentBlock::Image { source } if options.images => blocks.push(image(source)),
                _ => {}
            }
        }
        (!blocks.is_empty()).then_some(w::ToolResultContent::Blocks(blocks))
    };
    w::ContentBlock::ToolResult {
        tool_use_id: tool_call_id.to_owned(),
        content,
        is_error: is_error.then_some(true),
        cache_control: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn to_json(messages: &[Message], options: HistoryOptions) -> Value {
        serde_json::to_value(history(messages, options)).unwrap()
    }

    fn tool_result_msg(id: &str, text: &str, is_error: bool) -> Message {
        Message {
            role: Role::Tool,
            content: vec![ContentBlock::ToolResult {
                tool_call_id: id.into(),
                name: Some("get_weather".into()),
                content: vec![ContentBlock::text(text)],
                is_error,
            }],
        }
    }

    #[test]
    fn consecutive_turns_of_one_role_are_merged() {
        let messages =
            [Message::user("a"), Message::user("b"), Message::assistant("c"), Message::assistant("d")];
        assert_eq!(
            to_json(&messages, HistoryOptions::default()),
            json!([
                {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "c"}, {"type": "text", "text": "d"}]}
            ])
        );
    }

    #[test]
    fn tool_calls_and_results_become_tool_use_and_tool_result() {
        let messages = [
            Message::user("weather?"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::ToolCall {
                        id: "toolu_1".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                    ContentBlock::ToolCall {
                        id: "toolu_2".into(),
                        name: "get_weather".into(),
                        arguments: json!("{\"city\":\"Rome\"}"),
                    },
                ],
            },
            tool_result_msg("toolu_1", "18C", false),
            tool_result_msg("toolu_2", "no such city", true),
            Message::user("thanks"),
        ];
        assert_eq!(
            to_json(&messages, HistoryOptions::default()),
            json!([
                {"role": "user", "content": [{"type": "text", "text": "weather?"}]},
                {"role": "assistant", "content": [
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
                    {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Rome"}}
                ]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
                    {"type": "tool_result", "tool_use_id": "toolu_2", "content": "no such city", "is_error": true},
                    {"type": "text", "text": "thanks"}
                ]}
            ])
        );
    }

    #[test]
    fn tool_results_come_first_in_a_merged_user_turn() {
        let messages = [Message::user("note"), tool_result_msg("toolu_1", "ok", false)];
        let json = to_json(&messages, HistoryOptions::default());
        assert_eq!(json[0]["content"][0]["type"], "tool_result");
        assert_eq!(json[0]["content"][1]["type"], "text");
    }

    #[test]
    fn images_are_sent_only_to_models_that_take_them() {
        let messages = [Message {
            role: Role::User,
            content: vec![
                ContentBlock::text("what is this?"),
                ContentBlock::Image {
                    source: ImageSource::Base64 { media_type: "image/png".into(), data: "iVBOR".into() },
                },
                ContentBlock::Image { source: ImageSource::Url { url: "https://x.test/cat.jpg".into() } },
            ],
        }];
        let with = to_json(&messages, HistoryOptions { images: true, ..HistoryOptions::default() });
        assert_eq!(
            with[0]["content"][1],
            json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"}})
        );
        assert_eq!(
            with[0]["content"][2],
            json!({"type": "image", "source": {"type": "url", "url": "https://x.test/cat.jpg"}})
        );
        let without = to_json(&messages, HistoryOptions::default());
        assert_eq!(
            without,
            json!([{"role": "user", "content": [{"type": "text", "text": "what is this?"}]}])
        );
    }

    #[test]
    fn an_image_only_turn_is_dropped_when_images_are_not_accepted() {
        let messages = [
            Message::user("a"),
            Message {
                role: Role::User,
                content: vec![ContentBlock::Image { source: ImageSource::Url { url: "u".into() } }],
            },
            Message::assistant("b"),
        ];
        let json = to_json(&messages, HistoryOptions::default());
        assert_eq!(json.as_array().unwrap().len(), 2);
    }

    #[test]
    fn thinking_is_replayed_only_with_a_signature() {
        let signature = "EqQBCkYIBxgCKkDn2l0xYhGFwVz2c6FTnmLKJ4a5P0SvMzyv9uN0o2yQ+M4hDp1Q==";
        let messages = [
            Message::user("q"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::Thinking {
                        thinking: "signed".into(),
                        signature: Some(signature.into()),
                        encrypted: None,
                    },
                    ContentBlock::Thinking { thinking: "unsigned".into(), signature: None, encrypted: None },
                    ContentBlock::Thinking {
                        thinking: "from vLLM".into(),
                        signature: Some("reasoning_content".into()),
                        encrypted: None,
                    },
                    ContentBlock::Thinking {
                        thinking: String::new(),
                        signature: None,
                        encrypted: Some("EmwKAhgBEgy3va".into()),
                    },
                    ContentBlock::Thinking {
                        thinking: String::new(),
                        signature: Some("EmwKAhgBEgyredactedfromstream0000000000".into()),
                        encrypted: None,
                    },
                    ContentBlock::text("answer"),
                ],
            },
        ];
        assert_eq!(
            to_json(&messages, HistoryOptions::default())[1]["content"],
            json!([
                {"type": "thinking", "thinking": "signed", "signature": signature},
                {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va"},
                {"type": "redacted_thinking", "data": "EmwKAhgBEgyredactedfromstream0000000000"},
                {"type": "text", "text": "answer"}
            ])
        );
    }

    #[test]
    fn thinking_as_text_when_the_compat_flag_says_so() {
        let messages = [Message {
            role: Role::Assistant,
            content: vec![ContentBlock::thinking("hmm"), ContentBlock::text("hi")],
        }];
        let json = to_json(&messages, HistoryOptions { thinking_as_text: true, ..HistoryOptions::default() });
        assert_eq!(
            json[0]["content"],
            json!([{"type": "text", "text": "<thinking>hmm</thinking>"}, {"type": "text", "text": "hi"}])
        );
    }

    #[test]
    fn empty_text_is_left_out_and_tool_result_images_follow_the_model() {
        let messages = [Message {
            role: Role::Tool,
            content: vec![ContentBlock::ToolResult {
                tool_call_id: "toolu_9".into(),
                name: None,
                content: vec![
                    ContentBlock::text("screenshot:"),
                    ContentBlock::Image {
                        source: ImageSource::Base64 { media_type: "image/jpeg".into(), data: "/9j/".into() },
                    },
                ],
                is_error: false,
            }],
        }];
        let with = to_json(&messages, HistoryOptions { images: true, ..HistoryOptions::default() });
        assert_eq!(
            with[0]["content"][0]["content"],
            json!([
                {"type": "text", "text": "screenshot:"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/"}}
            ])
        );
        let without = to_json(&messages, HistoryOptions::default());
        assert_eq!(without[0]["content"][0]["content"], json!([{"type": "text", "text": "screenshot:"}]));
        assert_eq!(to_json(&[Message::user("")], HistoryOptions::default()), json!([]));
    }
}
