//! OpenAI Chat Completions request → [`llm::ModelRequest`], with the §7.2 checks: `temperature` 0–2,
//! `top_p` 0–1, penalties ±2, at most 4 stop sequences, `n` = 1, image limits.

use llm::{ContentBlock, Message, ModelRequest, Role, ToolChoice, ToolSpec};
use wire::openai_chat::{
    ChatCompletionRequest, ChatMessage, ContentPart, MessageContent, ToolChoice as WireToolChoice,
    ToolChoiceMode,
};

use super::{
    arguments, check_model, check_range, empty_schema, push_system, reasoning_effort, ImageBudget,
    ParsedRequest,
};
use crate::api_error::ApiError;
use crate::settings::RequestLimits;

/// Validates and translates a Chat Completions request.
pub fn parse(body: ChatCompletionRequest, limits: &RequestLimits) -> Result<ParsedRequest, ApiError> {
    check_model(&body.model)?;
    check_range("temperature", body.temperature, 0.0, 2.0)?;
    check_range("top_p", body.top_p, 0.0, 1.0)?;
    check_range("presence_penalty", body.presence_penalty, -2.0, 2.0)?;
    check_range("frequency_penalty", body.frequency_penalty, -2.0, 2.0)?;
    if body.n.is_some_and(|n| n != 1) {
        return Err(ApiError::invalid("n", "this gateway returns one choice; set n to 1 or leave it out"));
    }
    let stop = body.stop.as_ref().map(|s| s.to_vec()).unwrap_or_default();
    if stop.len() > 4 {
        return Err(ApiError::invalid(
            "stop",
            format!("stop has {} sequences; at most 4 are allowed", stop.len()),
        ));
    }
    if body.messages.is_empty() {
        return Err(ApiError::invalid("messages", "messages is empty; send at least one message"));
    }

    let mut system = None;
    let mut messages = Vec::with_capacity(body.messages.len());
    let mut images = ImageBudget::new(limits);
    for (i, message) in body.messages.iter().enumerate() {
        let param = format!("messages[{i}].content");
        match message {
            ChatMessage::System(m) | ChatMessage::Developer(m) => {
                push_system(&mut system, &m.content.joined_text())
            }
            ChatMessage::User(m) => messages.push(Message {
                role: Role::User,
                content: content_blocks(&m.content, &param, &mut images)?,
            }),
            ChatMessage::Assistant(m) => {
                let mut content = Vec::new();
                if let Some((field, text)) = m
                    .reasoning_content
                    .as_ref()
                    .map(|t| ("reasoning_content", t))
                    .or(m.reasoning.as_ref().map(|t| ("reasoning", t)))
                {
                    content.push(ContentBlock::Thinking {
                        thinking: text.clone(),
                        signature: Some(field.to_string()),
                        encrypted: None,
                    });
                }
                if let Some(c) = &m.content {
                    content.extend(content_blocks(c, &param, &mut images)?);
                }
                for call in m.tool_calls.iter().flatten() {
                    content.push(ContentBlock::ToolCall {
                        id: call.id.clone(),
                        name: call.function.name.clone(),
                        arguments: arguments(&call.function.arguments),
                    });
                }
                messages.push(Message { role: Role::Assistant, content });
            }
            ChatMessage::Tool(m) => messages.push(Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: m.tool_call_id.clone(),
                    name: None,
                    content: content_blocks(&m.content, &param, &mut images)?,
                    is_error: false,
                }],
            }),
        }
    }

    let mut tools = Vec::new();
    for (i, tool) in body.tools.iter().flatten().enumerate() {
        if tool.kind != "function" {
            return Err(ApiError::invalid(
                format!("tools[{i}].type"),
                format!("tool type {:?} is not supported; only \"function\" tools are", tool.kind),
            ));
        }
        tools.push(ToolSpec {
            name: tool.function.name.clone(),
            description: tool.function.description.clone(),
            parameters: tool.function.parameters.clone().unwrap_or_else(empty_schema),
        });
    }
    let tool_choice = match &body.tool_choice {
        None => None,
        Some(WireToolChoice::Mode(ToolChoiceMode::Auto)) => Some(ToolChoice::Auto),
        Some(WireToolChoice::Mode(ToolChoiceMode::None)) => Some(ToolChoice::None),
        Some(WireToolChoice::Mode(ToolChoiceMode::Required)) => Some(ToolChoice::Required),
        Some(WireToolChoice::Named(named)) => Some(named_tool(&tools, &named.function.name)?),
    };

    let request = ModelRequest {
        model: body.model.clone(),
        system,
        messages,
        tools,
        tool_choice,
        max_tokens: body.max_completion_tokens.or(body.max_tokens),
        temperature: body.temperature.map(|t| t as f32),
        top_p: body.top_p.map(|t| t as f32),
        stop,
        reasoning: reasoning_effort("reasoning_effort", body.reasoning_effort.as_deref())?,
        params: Default::default(),
        stream: body.stream.unwrap_or(false),
    };
    Ok(ParsedRequest {
        model: body.model,
        stream: request.stream,
        include_usage: body.stream_options.and_then(|o| o.include_usage).unwrap_or(false),
        request,
    })
}

/// `tool_choice` naming one tool: the tool must be declared.
pub fn named_tool(tools: &[ToolSpec], name: &str) -> Result<ToolChoice, ApiError> {
    if !tools.iter().any(|t| t.name == name) {
        return Err(ApiError::invalid(
            "tool_choice",
            format!("tool_choice names {name:?}, which is not in tools; declare it or pick another"),
        ));
    }
    Ok(ToolChoice::Tool(name.to_string()))
}

fn content_blocks(
    content: &MessageContent,
    param: &str,
    images: &mut ImageBudget<'_>,
) -> Result<Vec<ContentBlock>, ApiError> {
    match content {
        MessageContent::Text(text) => Ok(vec![ContentBlock::text(text.clone())]),
        MessageContent::Parts(parts) => parts
            .iter()
            .enumerate()
            .map(|(j, part)| match part {
                ContentPart::Text { text } => Ok(ContentBlock::text(text.clone())),
                ContentPart::Refusal { refusal } => Ok(ContentBlock::text(refusal.clone())),
                ContentPart::ImageUrl { image_url } => Ok(ContentBlock::Image {
                    source: images.image_url(&format!("{param}[{j}]"), &image_url.url)?,
                }),
                ContentPart::Other(other) => Err(ApiError::invalid(
                    format!("{param}[{j}]"),
                    format!(
                        "content part type {} is not supported; send text or image_url parts",
                        other.get("type").map_or("(none)".to_string(), |t| t.to_string())
                    ),
                )),
            })
            .collect(),
    }
}
