//! Chat Completions egress: `chat.completion.chunk` frames (reasoning in `delta.reasoning_content`, tool
//! calls as `delta.tool_calls` by index), the finish chunk, the usage chunk when
//! `stream_options.include_usage` asked for it, and `data: [DONE]`; or the whole `chat.completion`.

use bytes::BytesMut;
use llm::{AssembledResponse, ContentBlock, StopReason, StreamEvent, Usage};
use wire::openai_chat::{
    ChatChoice, ChatCompletion, ChatCompletionChunk, ChatUsage, ChunkChoice, ChunkDelta,
    CompletionTokensDetails, FinishReason, FunctionCall, FunctionCallDelta, PromptTokensDetails,
    ResponseMessage, ToolCall, ToolCallDelta,
};
use wire::sse::DONE_FRAME;

use super::{write_event, AnswerContext, StreamEncoder};
use crate::api_error::ApiError;

/// Streams one answer as Chat Completions chunks.
pub struct ChatEncoder {
    ctx: AnswerContext,
    include_usage: bool,
    /// Upstream tool-call index → the index this response gives it (0, 1, … in order of appearance).
    tool_slots: Vec<usize>,
    usage: Option<Usage>,
    done: bool,
}

impl ChatEncoder {
    pub fn new(ctx: AnswerContext, include_usage: bool) -> Self {
        Self { ctx, include_usage, tool_slots: Vec::new(), usage: None, done: false }
    }

    fn chunk(&self, delta: ChunkDelta, finish_reason: Option<FinishReason>) -> ChatCompletionChunk {
        ChatCompletionChunk {
            id: self.ctx.id.clone(),
            object: "chat.completion.chunk".into(),
            created: self.ctx.created,
            model: self.ctx.model.clone(),
            choices: vec![ChunkChoice { index: 0, delta, finish_reason, logprobs: None }],
            usage: None,
            system_fingerprint: None,
        }
    }

    fn slot(&mut self, index: usize) -> u32 {
        let slot = match self.tool_slots.iter().position(|i| *i == index) {
            Some(slot) => slot,
            None => {
                self.tool_slots.push(index);
                self.tool_slots.len() - 1
            }
        };
        u32::try_from(slot).unwrap_or(u32::MAX)
    }

    fn write_delta(&self, out: &mut BytesMut, delta: ChunkDelta) {
        write_event(out, None, &self.chunk(delta, None));
    }
}

impl StreamEncoder for ChatEncoder {
    fn start(&mut self, out: &mut BytesMut) {
        let delta =
            ChunkDelta { role: Some("assistant".into()), content: Some(String::new()), ..Default::default() };
        self.write_delta(out, delta);
    }

    fn event(&mut self, event: &StreamEvent, out: &mut BytesMut) {
        if self.done {
            return;
        }
        match event {
            StreamEvent::TextDelta { text } => {
                self.write_delta(out, ChunkDelta { content: Some(text.clone()), ..Default::default() })
            }
            StreamEvent::ThinkingDelta { text } => self
                .write_delta(out, ChunkDelta { reasoning_content: Some(text.clone()), ..Default::default() }),
            // Chat Completions has no field for a thinking signature.
            StreamEvent::ThinkingSignature { .. } | StreamEvent::ToolCallEnd { .. } => {}
            StreamEvent::ToolCallStart { index, id, name } => {
                let call = ToolCallDelta {
                    index: self.slot(*index),
                    id: Some(id.clone()),
                    kind: Some("function".into()),
                    function: Some(FunctionCallDelta {
                        name: Some(name.clone()),
                        arguments: Some(String::new()),
                    }),
                };
                self.write_delta(out, ChunkDelta { tool_calls: Some(vec![call]), ..Default::default() });
            }
            StreamEvent::ToolCallDelta { index, arguments } => {
                let call = ToolCallDelta {
                    index: self.slot(*index),
                    id: None,
                    kind: None,
                    function: Some(FunctionCallDelta { name: None, arguments: Some(arguments.clone()) }),
                };
                self.write_delta(out, ChunkDelta { tool_calls: Some(vec![call]), ..Default::default() });
            }
            StreamEvent::Usage { usage } => self.usage = Some(*usage),
            StreamEvent::Stop { reason } => {
                write_event(out, None, &self.chunk(ChunkDelta::default(), Some(finish_reason(*reason))));
                if self.include_usage {
                    let mut last = self.chunk(ChunkDelta::default(), None);
                    last.choices.clear();
                    last.usage = Some(chat_usage(&self.usage.unwrap_or_default()));
                    write_event(out, None, &last);
                }
                out.extend_from_slice(DONE_FRAME);
                self.done = true;
            }
        }
    }

    fn fail(&mut self, error: &ApiError, out: &mut BytesMut) {
        write_event(out, None, &error.openai_body());
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

/// The `finish_reason` of a stop.
pub fn finish_reason(reason: StopReason) -> FinishReason {
    match reason {
        StopReason::EndTurn | StopReason::StopSequence | StopReason::Refusal => FinishReason::Stop,
        StopReason::MaxTokens => FinishReason::Length,
        StopReason::ToolUse => FinishReason::ToolCalls,
        StopReason::ContentFilter => FinishReason::ContentFilter,
    }
}

/// Usage in Chat's terms: prompt tokens include cached ones, completion tokens include reasoning.
pub fn chat_usage(usage: &Usage) -> ChatUsage {
    ChatUsage {
        prompt_tokens: usage.total_input(),
        completion_tokens: usage.output,
        total_tokens: usage.total(),
        prompt_tokens_details: (usage.cache_read > 0)
            .then_some(PromptTokensDetails { cached_tokens: Some(usage.cache_read), audio_tokens: None }),
        completion_tokens_details: (usage.reasoning > 0).then_some(CompletionTokensDetails {
            reasoning_tokens: Some(usage.reasoning),
            ..Default::default()
        }),
    }
}

/// The whole `chat.completion`.
pub fn complete(ctx: &AnswerContext, answer: &AssembledResponse) -> ChatCompletion {
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut calls = Vec::new();
    for block in &answer.message.content {
        match block {
            ContentBlock::Text { text: t } => text.push_str(t),
            ContentBlock::Thinking { thinking, .. } => reasoning.push_str(thinking),
            ContentBlock::ToolCall { id, name, arguments } => calls.push(ToolCall {
                id: id.clone(),
                kind: "function".into(),
                function: FunctionCall { name: name.clone(), arguments: arguments_text(arguments) },
            }),
            ContentBlock::ToolResult { .. } | ContentBlock::Image { .. } => {}
        }
    }
    let message = ResponseMessage {
        role: "assistant".into(),
        content: (!text.is_empty() || calls.is_empty()).then_some(text),
        reasoning_content: (!reasoning.is_empty()).then_some(reasoning),
        reasoning: None,
        tool_calls: (!calls.is_empty()).then_some(calls),
        refusal: None,
    };
    ChatCompletion {
        id: ctx.id.clone(),
        object: "chat.completion".into(),
        created: ctx.created,
        model: ctx.model.clone(),
        choices: vec![ChatChoice {
            index: 0,
            message,
            finish_reason: answer.stop.map(finish_reason),
            logprobs: None,
        }],
        usage: Some(chat_usage(&answer.usage.unwrap_or_default())),
        system_fingerprint: None,
        service_tier: None,
    }
}

/// Tool arguments as the JSON text OpenAI clients expect (a string the model wrote stays as is).
pub fn arguments_text(arguments: &serde_json::Value) -> String {
    match arguments {
        serde_json::Value::String(raw) => raw.clone(),
        other => other.to_string(),
    }
}
