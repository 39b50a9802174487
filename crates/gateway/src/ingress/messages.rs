//! Anthropic Messages request → [`llm::ModelRequest`], with Anthropic's own checks: `max_tokens`
//! required, `temperature` 0–1, `top_p` 0–1, a thinking budget of at least 1024 and below `max_tokens`.
//! Tool results inside a user turn become their own tool-role messages, ahead of the turn's other blocks.
//! Also the token estimate of `POST /v1/messages/count_tokens`.

use llm::{ContentBlock, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec, Usage};
use wire::anthropic::{
    ContentBlock as WireBlock, CountTokensRequest, ImageSource, MessageContent, MessagesRequest,
    Role as WireRole, SystemPrompt, ThinkingConfig, Tool, ToolChoice as WireToolChoice, ToolResultContent,
};

use super::chat::named_tool;
use super::{check_model, check_range, empty_schema, ImageBudget, ParsedRequest};
use crate::api_error::ApiError;
use crate::settings::RequestLimits;

/// Validates and translates a Messages request.
pub fn parse(body: MessagesRequest, limits: &RequestLimits) -> Result<ParsedRequest, ApiError> {
    check_model(&body.model)?;
    let Some(max_tokens) = body.max_tokens else {
        return Err(ApiError::invalid(
            "max_tokens",
            "max_tokens: Field required (set the answer's token limit)",
        ));
    };
    if max_tokens == 0 {
        return Err(ApiError::invalid("max_tokens", "max_tokens must be at least 1"));
    }
    check_range("temperature", body.temperature, 0.0, 1.0)?;
    check_range("top_p", body.top_p, 0.0, 1.0)?;
    if body.messages.is_empty() {
        return Err(ApiError::invalid("messages", "messages is empty; send at least one message"));
    }
    let reasoning = match &body.thinking {
        None => None,
        Some(ThinkingConfig::Disabled) => Some(ReasoningEffort::Off),
        Some(ThinkingConfig::Adaptive) => None,
        Some(ThinkingConfig::Enabled { budget_tokens }) => {
            if *budget_tokens < 1024 || *budget_tokens >= max_tokens {
                return Err(ApiError::invalid(
                    "thinking.budget_tokens",
                    format!(
                        "thinking.budget_tokens is {budget_tokens}; it must be at least 1024 and less than \
                         max_tokens ({max_tokens})"
                    ),
                ));
            }
            Some(effort_for_budget(*budget_tokens))
        }
    };
    let mut images = ImageBudget::new(limits);
    let messages = translate_messages(&body.messages, &mut images)?;
    let tools = translate_tools(body.tools.as_deref().unwrap_or_default())?;
    let tool_choice = match &body.tool_choice {
        None => None,
        Some(WireToolChoice::Auto { .. }) => Some(ToolChoice::Auto),
        Some(WireToolChoice::Any { .. }) => Some(ToolChoice::Required),
        Some(WireToolChoice::None) => Some(ToolChoice::None),
        Some(WireToolChoice::Tool { name, .. }) => Some(named_tool(&tools, name)?),
    };
    let request = ModelRequest {
        model: body.model.clone(),
        system: body.system.as_ref().map(system_text),
        messages,
        tools,
        tool_choice,
        max_tokens: Some(max_tokens),
        temperature: body.temperature.map(|t| t as f32),
        top_p: body.top_p.map(|t| t as f32),
        stop: body.stop_sequences.clone().unwrap_or_default(),
        reasoning,
        params: Default::default(),
        stream: body.stream.unwrap_or(false),
    };
    Ok(ParsedRequest { model: body.model, stream: request.stream, include_usage: false, request })
}

/// An estimate of the prompt's tokens (about four characters each): the gateway has no tokenizer for
/// the model behind it.
pub fn count_tokens(body: CountTokensRequest, limits: &RequestLimits) -> Result<u64, ApiError> {
    check_model(&body.model)?;
    let mut images = ImageBudget::new(limits);
    let messages = translate_messages(&body.messages, &mut images)?;
    let tools = translate_tools(body.tools.as_deref().unwrap_or_default())?;
    let mut text = body.system.as_ref().map(system_text).unwrap_or_default();
    for message in &messages {
        for block in &message.content {
            text.push_str(&block_text(block));
        }
    }
    for tool in &tools {
        text.push_str(&tool.name);
        text.push_str(tool.description.as_deref().unwrap_or_default());
        text.push_str(&tool.parameters.to_string());
    }
    // Images cost a flat ~1.6k tokens on Anthropic's models for a typical size.
    let image_count =
        messages.iter().flat_map(|m| &m.content).filter(|b| matches!(b, ContentBlock::Image { .. })).count();
    Ok(Usage::estimate_tokens(&text) + 1600 * image_count as u64)
}

fn block_text(block: &ContentBlock) -> String {
    match block {
        ContentBlock::Text { text } => text.clone(),
        ContentBlock::Thinking { thinking, .. } => thinking.clone(),
        ContentBlock::ToolCall { name, arguments, .. } => format!("{name}{arguments}"),
        ContentBlock::ToolResult { content, .. } => content.iter().map(block_text).collect(),
        ContentBlock::Image { .. } => String::new(),
    }
}

/// Anthropic's thinking budget as an effort level (the scale OpenAI-style upstreams take).
fn effort_for_budget(budget: u32) -> ReasoningEffort {
    match budget {
        0..=4095 => ReasoningEffort::Low,
        4096..=16383 => ReasoningEffort::Medium,
        _ => ReasoningEffort::High,
    }
}

fn system_text(system: &SystemPrompt) -> String {
    match system {
        SystemPrompt::Text(text) => text.clone(),
        SystemPrompt::Blocks(blocks) => blocks
            .iter()
            .filter_map(|b| match b {
                WireBlock::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

fn translate_tools(tools: &[Tool]) -> Result<Vec<ToolSpec>, ApiError> {
    tools
        .iter()
        .enumerate()
        .map(|(i, tool)| match tool.kind.as_deref() {
            None | Some("custom") => Ok(ToolSpec {
                name: tool.name.clone(),
                description: tool.description.clone(),
                parameters: tool.input_schema.clone().unwrap_or_else(empty_schema),
            }),
            Some(kind) => Err(ApiError::invalid(
                format!("tools[{i}].type"),
                format!("server tool {kind:?} is not supported; declare client tools with input_schema"),
            )),
        })
        .collect()
}

fn translate_messages(
    messages: &[wire::anthropic::Message],
    images: &mut ImageBudget<'_>,
) -> Result<Vec<Message>, ApiError> {
    let mut out = Vec::with_capacity(messages.len());
    for (i, message) in messages.iter().enumerate() {
        let param = format!("messages[{i}].content");
        let blocks = match &message.content {
            MessageContent::Text(text) => vec![WireBlock::text(text.clone())],
            MessageContent::Blocks(blocks) => blocks.clone(),
        };
        let role = match message.role {
            WireRole::User => Role::User,
            WireRole::Assistant => Role::Assistant,
        };
        let mut content = Vec::with_capacity(blocks.len());
        for (j, block) in blocks.iter().enumerate() {
            let param = format!("{param}[{j}]");
            match block {
                WireBlock::ToolResult { tool_use_id, content: result, is_error, .. } => {
                    let result = match result {
                        None => Vec::new(),
                        Some(ToolResultContent::Text(text)) => vec![ContentBlock::text(text.clone())],
                        Some(ToolResultContent::Blocks(inner)) => inner
                            .iter()
                            .map(|b| plain_block(b, &param, images))
                            .collect::<Result<Vec<_>, _>>()?
                            .into_iter()
                            .flatten()
                            .collect(),
                    };
                    out.push(Message {
                        role: Role::Tool,
                        content: vec![ContentBlock::ToolResult {
                            tool_call_id: tool_use_id.clone(),
                            name: None,
                            content: result,
                            is_error: is_error.unwrap_or(false),
                        }],
                    });
                }
                other => content.extend(plain_block(other, &param, images)?),
            }
        }
        if !content.is_empty() {
            out.push(Message { role, content });
        }
    }
    Ok(out)
}

/// One non-tool-result block (`None` for blocks with nothing to carry).
fn plain_block(
    block: &WireBlock,
    param: &str,
    images: &mut ImageBudget<'_>,
) -> Result<Option<ContentBlock>, ApiError> {
    Ok(Some(match block {
        WireBlock::Text { text, .. } => ContentBlock::text(text.clone()),
        WireBlock::Image { source, .. } => ContentBlock::Image {
            source: match source {
                ImageSource::Base64 { media_type, data } => images.base64(param, media_type, data)?,
                ImageSource::Url { url } => images.image_url(param, url)?,
                ImageSource::Other(_) => {
                    return Err(ApiError::invalid(param, "only base64 and url image sources are supported"))
                }
            },
        },
        WireBlock::ToolUse { id, name, input, .. } => {
            ContentBlock::ToolCall { id: id.clone(), name: name.clone(), arguments: input.clone() }
        }
        WireBlock::Thinking { thinking, signature } => {
            ContentBlock::Thinking { thinking: thinking.clone(), signature: signature.clone(), encrypted: None }
        }
        WireBlock::RedactedThinking { data } => {
            ContentBlock::Thinking { thinking: String::new(), signature: None, encrypted: Some(data.clone()) }
        }
        WireBlock::ToolResult { .. } => return Ok(None),
        WireBlock::Other(other) => {
            return Err(ApiError::invalid(
                param,
                format!(
                    "content block type {} is not supported yet; send text, image, tool_use, tool_result or thinking",
                    other.get("type").map_or("(none)".to_string(), |t| t.to_string())
                ),
            ))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_results_leave_the_user_turn_first() {
        let body: MessagesRequest = serde_json::from_value(serde_json::json!({
            "model": "m", "max_tokens": 100,
            "messages": [
                {"role": "user", "content": "weather?"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "w", "input": {"c": 1}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "t1", "content": "sunny"},
                    {"type": "text", "text": "thanks"}
                ]}
            ]
        }))
        .unwrap();
        let parsed = parse(body, &RequestLimits::default()).unwrap();
        let roles: Vec<Role> = parsed.request.messages.iter().map(|m| m.role).collect();
        assert_eq!(roles, [Role::User, Role::Assistant, Role::Tool, Role::User]);
    }

    #[test]
    fn thinking_budget_must_fit_under_max_tokens() {
        let body: MessagesRequest = serde_json::from_value(serde_json::json!({
            "model": "m", "max_tokens": 2000, "thinking": {"type": "enabled", "budget_tokens": 4000},
            "messages": [{"role": "user", "content": "hi"}]
        }))
        .unwrap();
        let err = parse(body, &RequestLimits::default()).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("thinking.budget_tokens"));
    }
}
