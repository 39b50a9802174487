//! The conversation as Responses `input` items: the system prompt as a `system` (or `developer`)
//! message, user turns as `input_text` / `input_image` parts, earlier assistant turns as output items
//! (`reasoning` with its encrypted state, `message` with `output_text`, `function_call`), and tool
//! results as `function_call_output`.

use llm::{ContentBlock, ImageSource, Message, ModelRequest, Role};
use serde_json::Value;
use wire::openai_responses::{
    ContentPart, FunctionCallItem, FunctionCallOutputItem, FunctionOutput, ItemContent, MessageItem,
    MessageRole, ReasoningItem, ReasoningPart, ResponseItem,
};

use super::ids::{parse_reasoning_state, split_tool_call_id};

/// Text put in a `function_call_output` whose result was images only.
const IMAGE_ONLY_OUTPUT: &str = "(see attached image)";
/// Text leading the user message that carries a tool result's images.
const TOOL_IMAGES_PREFIX: &str = "Attached image(s) from tool result:";

/// How the conversation is written for one target.
#[derive(Debug, Clone, Copy)]
pub struct InputOptions {
    /// The system prompt goes as a `developer` message (reasoning models on OpenAI's own API).
    pub developer_role: bool,
    /// The model takes images; without this, image parts are dropped.
    pub images: bool,
}

/// The `input` items of `request`.
pub fn input_items(request: &ModelRequest, options: InputOptions) -> Vec<ResponseItem> {
    let mut items = Vec::with_capacity(request.messages.len() + 1);
    if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
        let role = if options.developer_role { MessageRole::Developer } else { MessageRole::System };
        items.push(message(role, ItemContent::Text(system.to_owned())));
    }
    for message in &request.messages {
        match message.role {
            Role::User => push_user(message, options, &mut items),
            Role::Assistant => push_assistant(message, &mut items),
            Role::Tool => push_tool_results(&message.content, options, &mut items),
        }
    }
    items
}

fn message(role: MessageRole, content: ItemContent) -> ResponseItem {
    ResponseItem::Message(MessageItem { id: None, role, content, status: None })
}

/// A user turn: text and images as input parts; tool results written into a user turn (the Anthropic
/// way) become `function_call_output` items after it.
fn push_user(message: &Message, options: InputOptions, items: &mut Vec<ResponseItem>) {
    let mut parts = Vec::with_capacity(message.content.len());
    let mut results = Vec::new();
    for block in &message.content {
        match block {
            ContentBlock::Text { text } => parts.push(ContentPart::InputText { text: text.clone() }),
            ContentBlock::Image { source } if options.images => parts.push(input_image(source)),
            ContentBlock::Image { .. } => {
                tracing::debug!("image dropped: the model does not list \"image\" in its input");
            }
            ContentBlock::ToolResult { .. } => results.push(block.clone()),
            ContentBlock::Thinking { .. } | ContentBlock::ToolCall { .. } => {}
        }
    }
    if !parts.is_empty() {
        items.push(message_parts(MessageRole::User, parts));
    }
    push_tool_results(&results, options, items);
}

fn message_parts(role: MessageRole, parts: Vec<ContentPart>) -> ResponseItem {
    message(role, ItemContent::Parts(parts))
}

fn input_image(source: &ImageSource) -> ContentPart {
    let url = match source {
        ImageSource::Base64 { media_type, data } => format!("data:{media_type};base64,{data}"),
        ImageSource::Url { url } => url.clone(),
    };
    ContentPart::InputImage { image_url: Some(url), file_id: None, detail: Some("auto".to_owned()) }
}

/// An assistant turn, block by block. Reasoning is replayed only as the encrypted item it came from;
/// reasoning text alone is never sent back (transcript hygiene). A `function_call` keeps its item id
/// only when no reasoning of the same turn was dropped: OpenAI pairs `fc_` items with their reasoning
/// items and rejects a call whose reasoning is missing.
fn push_assistant(message: &Message, items: &mut Vec<ResponseItem>) {
    let skipped_reasoning = message
        .content
        .iter()
        .any(|b| matches!(b, ContentBlock::Thinking { .. }) && replayable_reasoning(b).is_none());
    let mut text = String::new();
    for block in &message.content {
        if !matches!(block, ContentBlock::Text { .. }) {
            flush_text(&mut text, items);
        }
        match block {
            ContentBlock::Text { text: t } => text.push_str(t),
            ContentBlock::Thinking { .. } => {
                if let Some(item) = replayable_reasoning(block) {
                    items.push(ResponseItem::Reasoning(item));
                }
            }
            ContentBlock::ToolCall { id, name, arguments } => {
                let (call_id, item_id) = split_tool_call_id(id);
                let item_id = item_id.filter(|_| !skipped_reasoning).map(str::to_owned);
                items.push(ResponseItem::FunctionCall(FunctionCallItem {
                    id: item_id,
                    call_id: call_id.to_owned(),
                    name: name.clone(),
                    arguments: arguments_text(arguments),
                    status: None,
                }));
            }
            ContentBlock::ToolResult { .. } | ContentBlock::Image { .. } => {}
        }
    }
    flush_text(&mut text, items);
}

fn flush_text(text: &mut String, items: &mut Vec<ResponseItem>) {
    if text.is_empty() {
        return;
    }
    let part =
        ContentPart::OutputText { text: std::mem::take(text), annotations: Vec::new(), logprobs: None };
    items.push(ResponseItem::Message(MessageItem {
        id: None,
        role: MessageRole::Assistant,
        content: ItemContent::Parts(vec![part]),
        status: Some("completed".to_owned()),
    }));
}

/// The `reasoning` item a thinking block replays as: its replay state (`"rs_…|<encrypted>"`, what
/// this transport's decoder emits as the signature) from `encrypted`, else from `signature`. Without
/// an item id there is nothing the API accepts (it rejects reasoning items with an empty id), so such
/// a block is not replayed.
fn replayable_reasoning(block: &ContentBlock) -> Option<ReasoningItem> {
    let ContentBlock::Thinking { thinking, signature, encrypted } = block else {
        return None;
    };
    let (id, content) = [encrypted.as_deref(), signature.as_deref()]
        .into_iter()
        .flatten()
        .map(parse_reasoning_state)
        .find_map(|(id, content)| Some((id?, content)))?;
    let summary = if thinking.is_empty() {
        Vec::new()
    } else {
        vec![ReasoningPart::SummaryText { text: thinking.clone() }]
    };
    Some(ReasoningItem {
        id: id.to_owned(),
        summary,
        content: None,
        encrypted_content: Some(content.to_owned()),
        status: None,
    })
}

/// Tool arguments as the JSON text the API wants; a string that is not an object (arguments the
/// model produced unparsable) is sent back as it was.
fn arguments_text(arguments: &Value) -> String {
    match arguments {
        Value::String(raw) => raw.clone(),
        Value::Null => "{}".to_owned(),
        other => other.to_string(),
    }
}

/// Tool results as `function_call_output` items; their images follow in a user message when the
/// model takes images (the output itself is text only on most servers).
fn push_tool_results(blocks: &[ContentBlock], options: InputOptions, items: &mut Vec<ResponseItem>) {
    for block in blocks {
        let ContentBlock::ToolResult { tool_call_id, content, .. } = block else {
            continue;
        };
        let text: Vec<&str> = content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let images: Vec<&ImageSource> = content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Image { source } => Some(source),
                _ => None,
            })
            .collect();
        let output = if text.is_empty() && !images.is_empty() {
            IMAGE_ONLY_OUTPUT.to_owned()
        } else {
            text.join("\n")
        };
        let (call_id, _) = split_tool_call_id(tool_call_id);
        items.push(ResponseItem::FunctionCallOutput(FunctionCallOutputItem {
            id: None,
            call_id: call_id.to_owned(),
            output: FunctionOutput::Text(output),
            status: None,
        }));
        if options.images && !images.is_empty() {
            let mut parts = vec![ContentPart::InputText { text: TOOL_IMAGES_PREFIX.to_owned() }];
            parts.extend(images.into_iter().map(input_image));
            items.push(message_parts(MessageRole::User, parts));
        }
    }
}
