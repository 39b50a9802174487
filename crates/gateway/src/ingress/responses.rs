//! OpenAI Responses request → [`llm::ModelRequest`]. The gateway is stateless: `instructions` joins
//! the system prompt, every turn comes in `input`, and `previous_response_id` / item references are
//! refused with the fix. `metadata`, `store`, `truncation` are accepted and ignored (as in OpenClaw).

use llm::{ContentBlock, Message, ModelRequest, Role, ToolChoice, ToolSpec};
use wire::openai_responses::{
    ContentPart, FunctionOutput, ItemContent, MessageRole, ResponseItem, ResponsesInput, ResponsesRequest,
    ResponsesTool, ResponsesToolChoice, ToolChoiceMode,
};

use super::chat::named_tool;
use super::{
    arguments, check_model, check_range, empty_schema, push_system, reasoning_effort, ImageBudget,
    ParsedRequest,
};
use crate::api_error::ApiError;
use crate::settings::RequestLimits;

/// Validates and translates a Responses request.
pub fn parse(body: ResponsesRequest, limits: &RequestLimits) -> Result<ParsedRequest, ApiError> {
    check_model(&body.model)?;
    check_range("temperature", body.temperature, 0.0, 2.0)?;
    check_range("top_p", body.top_p, 0.0, 1.0)?;
    if body.previous_response_id.is_some() {
        return Err(ApiError::invalid(
            "previous_response_id",
            "this gateway does not store responses; send the whole conversation in input instead",
        ));
    }
    let mut system = None;
    if let Some(instructions) = &body.instructions {
        push_system(&mut system, instructions);
    }
    let mut messages: Vec<Message> = Vec::new();
    let mut images = ImageBudget::new(limits);
    match &body.input {
        None => return Err(ApiError::invalid("input", "input is missing; send a string or a list of items")),
        Some(ResponsesInput::Text(text)) => messages.push(Message::user(text.clone())),
        Some(ResponsesInput::Items(items)) => {
            for (i, item) in items.iter().enumerate() {
                add_item(item, &format!("input[{i}]"), &mut system, &mut messages, &mut images)?;
            }
        }
    }
    if messages.is_empty() {
        return Err(ApiError::invalid("input", "input has no user or assistant turn; send at least one"));
    }

    let mut tools = Vec::new();
    for (i, tool) in body.tools.iter().flatten().enumerate() {
        match tool {
            ResponsesTool::Function(f) => tools.push(ToolSpec {
                name: f.name.clone(),
                description: f.description.clone(),
                parameters: f.parameters.clone().unwrap_or_else(empty_schema),
            }),
            ResponsesTool::Other(other) => {
                return Err(ApiError::invalid(
                    format!("tools[{i}]"),
                    format!(
                        "built-in tool {} is not supported; declare function tools only",
                        other.get("type").map_or("(no type)".to_string(), |t| t.to_string())
                    ),
                ))
            }
        }
    }
    let tool_choice = match &body.tool_choice {
        None => None,
        Some(ResponsesToolChoice::Mode(ToolChoiceMode::Auto)) => Some(ToolChoice::Auto),
        Some(ResponsesToolChoice::Mode(ToolChoiceMode::None)) => Some(ToolChoice::None),
        Some(ResponsesToolChoice::Mode(ToolChoiceMode::Required)) => Some(ToolChoice::Required),
        Some(ResponsesToolChoice::Function(f)) => Some(named_tool(&tools, &f.name)?),
        Some(ResponsesToolChoice::Other(other)) => {
            return Err(ApiError::invalid(
                "tool_choice",
                format!("tool_choice {other} is not supported; use auto, none, required or a function"),
            ))
        }
    };
    let request = ModelRequest {
        model: body.model.clone(),
        system,
        messages,
        tools,
        tool_choice,
        max_tokens: body.max_output_tokens,
        temperature: body.temperature.map(|t| t as f32),
        top_p: body.top_p.map(|t| t as f32),
        stop: Vec::new(),
        reasoning: reasoning_effort(
            "reasoning.effort",
            body.reasoning.as_ref().and_then(|r| r.effort.as_deref()),
        )?,
        params: Default::default(),
        stream: body.stream.unwrap_or(false),
    };
    Ok(ParsedRequest { model: body.model, stream: request.stream, include_usage: false, request })
}

fn add_item(
    item: &ResponseItem,
    param: &str,
    system: &mut Option<String>,
    messages: &mut Vec<Message>,
    images: &mut ImageBudget<'_>,
) -> Result<(), ApiError> {
    match item {
        ResponseItem::Message(m) | ResponseItem::UntypedMessage(m) => {
            let content = item_content(&m.content, &format!("{param}.content"), images)?;
            match m.role {
                MessageRole::System | MessageRole::Developer => {
                    let text: String = content
                        .iter()
                        .filter_map(|b| match b {
                            ContentBlock::Text { text } => Some(text.as_str()),
                            _ => None,
                        })
                        .collect();
                    push_system(system, &text);
                }
                MessageRole::User => messages.push(Message { role: Role::User, content }),
                MessageRole::Assistant => assistant(messages).extend(content),
            }
        }
        ResponseItem::FunctionCall(call) => assistant(messages).push(ContentBlock::ToolCall {
            id: call.call_id.clone(),
            name: call.name.clone(),
            arguments: arguments(&call.arguments),
        }),
        ResponseItem::FunctionCallOutput(output) => {
            let content = match &output.output {
                FunctionOutput::Text(text) => vec![ContentBlock::text(text.clone())],
                FunctionOutput::Parts(parts) => parts_to_blocks(parts, &format!("{param}.output"), images)?,
            };
            messages.push(Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: output.call_id.clone(),
                    name: None,
                    content,
                    is_error: false,
                }],
            });
        }
        ResponseItem::Reasoning(r) => {
            let text: Vec<&str> =
                r.content.iter().flatten().chain(r.summary.iter()).map(|p| p.text()).collect();
            assistant(messages).push(ContentBlock::Thinking {
                thinking: text.join("\n"),
                signature: r.encrypted_content.clone(),
                encrypted: None,
            });
        }
        ResponseItem::ItemReference { .. } => return Err(ApiError::invalid(
            param,
            "item references need stored responses, which this gateway does not keep; send the item itself",
        )),
        ResponseItem::Other(other) => {
            return Err(ApiError::invalid(
                param,
                format!(
                "input item type {} is not supported; send message, function_call, function_call_output or \
                     reasoning items",
                other.get("type").map_or("(none)".to_string(), |t| t.to_string())
            ),
            ))
        }
    }
    Ok(())
}

/// The assistant turn being built: the last message when it is one, else a new one.
fn assistant(messages: &mut Vec<Message>) -> &mut Vec<ContentBlock> {
    if messages.last().is_none_or(|m| m.role != Role::Assistant) {
        messages.push(Message { role: Role::Assistant, content: Vec::new() });
    }
    let last = messages.len() - 1;
    &mut messages[last].content
}

fn item_content(
    content: &ItemContent,
    param: &str,
    images: &mut ImageBudget<'_>,
) -> Result<Vec<ContentBlock>, ApiError> {
    match content {
        ItemContent::Text(text) => Ok(vec![ContentBlock::text(text.clone())]),
        ItemContent::Parts(parts) => parts_to_blocks(parts, param, images),
    }
}

fn parts_to_blocks(
    parts: &[ContentPart],
    param: &str,
    images: &mut ImageBudget<'_>,
) -> Result<Vec<ContentBlock>, ApiError> {
    parts
        .iter()
        .enumerate()
        .map(|(j, part)| {
            let param = format!("{param}[{j}]");
            match part {
                ContentPart::InputText { text } | ContentPart::OutputText { text, .. } => {
                    Ok(ContentBlock::text(text.clone()))
                }
                ContentPart::Refusal { refusal } => Ok(ContentBlock::text(refusal.clone())),
                ContentPart::InputImage { image_url: Some(url), .. } => {
                    Ok(ContentBlock::Image { source: images.image_url(&param, url)? })
                }
                ContentPart::InputImage { .. } => Err(ApiError::invalid(
                    param,
                    "input_image needs image_url (file_id needs stored files, which this gateway does not keep)",
                )),
                ContentPart::Other(other) => Err(ApiError::invalid(
                    param,
                    format!(
                        "content part type {} is not supported yet; send input_text or input_image",
                        other.get("type").map_or("(none)".to_string(), |t| t.to_string())
                    ),
                )),
            }
        })
        .collect()
}
