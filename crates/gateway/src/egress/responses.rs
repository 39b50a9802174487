//! Responses egress: `response.created` / `in_progress`, then output items — `reasoning` items fed by
//! `response.reasoning_summary_text.delta`, `message` items by `response.output_text.delta`,
//! `function_call` items by `response.function_call_arguments.delta` — and `response.completed`
//! (`response.incomplete` for a length or content-filter stop). A failure writes `error` and
//! `response.failed`. Or the whole response object.

use bytes::BytesMut;
use llm::{AssembledResponse, ContentBlock, StopReason, StreamEvent, Usage};
use wire::openai_responses::{
    ArgumentsDeltaEvent, ArgumentsDoneEvent, ContentPart, ContentPartEvent, FunctionCallItem,
    IncompleteDetails, InputTokensDetails, ItemContent, MessageItem, MessageRole, OutputItemEvent,
    OutputTokensDetails, ReasoningItem, ReasoningPart, ResponseError, ResponseEvent, ResponseItem,
    ResponseObject, ResponseStatus, ResponsesStreamEvent as Ev, ResponsesUsage, StreamErrorEvent,
    SummaryPartEvent, SummaryTextDeltaEvent, SummaryTextDoneEvent, TextDeltaEvent, TextDoneEvent,
};

use super::chat::arguments_text;
use super::{write_event, AnswerContext, StreamEncoder};
use crate::api_error::ApiError;

struct OpenText {
    output_index: u32,
    id: String,
    text: String,
    signature: Option<String>,
}

struct OpenCall {
    upstream_index: usize,
    output_index: u32,
    item: FunctionCallItem,
}

/// Streams one answer as Responses events.
pub struct ResponsesEncoder {
    ctx: AnswerContext,
    seq: u64,
    /// Finished items by output index.
    output: Vec<Option<ResponseItem>>,
    reasoning: Option<OpenText>,
    message: Option<OpenText>,
    calls: Vec<OpenCall>,
    usage: Option<Usage>,
    done: bool,
}

impl ResponsesEncoder {
    pub fn new(ctx: AnswerContext) -> Self {
        Self {
            ctx,
            seq: 0,
            output: Vec::new(),
            reasoning: None,
            message: None,
            calls: Vec::new(),
            usage: None,
            done: false,
        }
    }

    fn seq(&mut self) -> Option<u64> {
        let n = self.seq;
        self.seq += 1;
        Some(n)
    }

    fn emit(&self, out: &mut BytesMut, event: &Ev) {
        write_event(out, event.type_name(), event);
    }

    fn response(&self, status: ResponseStatus) -> ResponseObject {
        ResponseObject {
            id: self.ctx.id.clone(),
            object: "response".into(),
            created_at: self.ctx.created,
            status: Some(status),
            model: self.ctx.model.clone(),
            output: self.output.iter().flatten().cloned().collect(),
            usage: None,
            error: None,
            incomplete_details: None,
            extra: Default::default(),
        }
    }

    fn add_item(&mut self, out: &mut BytesMut, item: ResponseItem) -> u32 {
        let output_index = u32::try_from(self.output.len()).unwrap_or(u32::MAX);
        self.output.push(None);
        let event = Ev::OutputItemAdded(OutputItemEvent { output_index, item, sequence_number: self.seq() });
        self.emit(out, &event);
        output_index
    }

    fn finish_item(&mut self, out: &mut BytesMut, output_index: u32, item: ResponseItem) {
        if let Some(slot) = self.output.get_mut(output_index as usize) {
            *slot = Some(item.clone());
        }
        let event = Ev::OutputItemDone(OutputItemEvent { output_index, item, sequence_number: self.seq() });
        self.emit(out, &event);
    }

    fn open_reasoning(&mut self, out: &mut BytesMut) {
        if self.reasoning.is_some() {
            return;
        }
        self.close_message(out);
        let id = self.ctx.ids.id("rs_");
        let output_index = self
            .add_item(out, ResponseItem::Reasoning(ReasoningItem { id: id.clone(), ..Default::default() }));
        let part = SummaryPartEvent {
            item_id: id.clone(),
            output_index,
            summary_index: 0,
            part: ReasoningPart::SummaryText { text: String::new() },
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::ReasoningSummaryPartAdded(part));
        self.reasoning = Some(OpenText { output_index, id, text: String::new(), signature: None });
    }

    fn close_reasoning(&mut self, out: &mut BytesMut) {
        let Some(r) = self.reasoning.take() else { return };
        let done = SummaryTextDoneEvent {
            item_id: r.id.clone(),
            output_index: r.output_index,
            summary_index: 0,
            text: r.text.clone(),
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::ReasoningSummaryTextDone(done));
        let part = SummaryPartEvent {
            item_id: r.id.clone(),
            output_index: r.output_index,
            summary_index: 0,
            part: ReasoningPart::SummaryText { text: r.text.clone() },
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::ReasoningSummaryPartDone(part));
        let item = reasoning_item(r.id, r.text, r.signature);
        self.finish_item(out, r.output_index, item);
    }

    fn open_message(&mut self, out: &mut BytesMut) {
        if self.message.is_some() {
            return;
        }
        self.close_reasoning(out);
        let id = self.ctx.ids.id("msg_");
        let item = MessageItem {
            id: Some(id.clone()),
            role: MessageRole::Assistant,
            content: ItemContent::Parts(Vec::new()),
            status: Some("in_progress".into()),
        };
        let output_index = self.add_item(out, ResponseItem::Message(item));
        let part = ContentPartEvent {
            item_id: id.clone(),
            output_index,
            content_index: 0,
            part: output_text(String::new()),
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::ContentPartAdded(part));
        self.message = Some(OpenText { output_index, id, text: String::new(), signature: None });
    }

    fn close_message(&mut self, out: &mut BytesMut) {
        let Some(m) = self.message.take() else { return };
        let done = TextDoneEvent {
            item_id: m.id.clone(),
            output_index: m.output_index,
            content_index: 0,
            text: m.text.clone(),
            logprobs: None,
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::OutputTextDone(done));
        let part = ContentPartEvent {
            item_id: m.id.clone(),
            output_index: m.output_index,
            content_index: 0,
            part: output_text(m.text.clone()),
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::ContentPartDone(part));
        self.finish_item(out, m.output_index, message_item(m.id, m.text));
    }

    fn close_call(&mut self, out: &mut BytesMut, position: usize) {
        let mut call = self.calls.remove(position);
        let done = ArgumentsDoneEvent {
            item_id: call.item.id.clone().unwrap_or_default(),
            output_index: call.output_index,
            arguments: call.item.arguments.clone(),
            name: None,
            sequence_number: self.seq(),
        };
        self.emit(out, &Ev::FunctionCallArgumentsDone(done));
        call.item.status = Some("completed".into());
        self.finish_item(out, call.output_index, ResponseItem::FunctionCall(call.item));
    }

    fn close_all(&mut self, out: &mut BytesMut) {
        self.close_reasoning(out);
        self.close_message(out);
        while !self.calls.is_empty() {
            self.close_call(out, 0);
        }
    }
}

impl StreamEncoder for ResponsesEncoder {
    fn start(&mut self, out: &mut BytesMut) {
        let created = Ev::Created(ResponseEvent {
            response: self.response(ResponseStatus::InProgress),
            sequence_number: self.seq(),
        });
        self.emit(out, &created);
        let progress = Ev::InProgress(ResponseEvent {
            response: self.response(ResponseStatus::InProgress),
            sequence_number: self.seq(),
        });
        self.emit(out, &progress);
    }

    fn event(&mut self, event: &StreamEvent, out: &mut BytesMut) {
        if self.done {
            return;
        }
        match event {
            StreamEvent::ThinkingDelta { text } => {
                self.open_reasoning(out);
                let seq = self.seq();
                let Some(r) = self.reasoning.as_mut() else { return };
                r.text.push_str(text);
                let delta = SummaryTextDeltaEvent {
                    item_id: r.id.clone(),
                    output_index: r.output_index,
                    summary_index: 0,
                    delta: text.clone(),
                    sequence_number: seq,
                };
                self.emit(out, &Ev::ReasoningSummaryTextDelta(delta));
            }
            StreamEvent::ThinkingSignature { signature } if super::is_field_name_marker(signature) => {}
            StreamEvent::ThinkingSignature { signature } => {
                self.open_reasoning(out);
                if let Some(r) = self.reasoning.as_mut() {
                    r.signature = Some(signature.clone());
                }
            }
            StreamEvent::TextDelta { text } => {
                self.open_message(out);
                let seq = self.seq();
                let Some(m) = self.message.as_mut() else { return };
                m.text.push_str(text);
                let delta = TextDeltaEvent {
                    item_id: m.id.clone(),
                    output_index: m.output_index,
                    content_index: 0,
                    delta: text.clone(),
                    logprobs: None,
                    sequence_number: seq,
                };
                self.emit(out, &Ev::OutputTextDelta(delta));
            }
            StreamEvent::ToolCallStart { index, id, name } => {
                self.close_reasoning(out);
                self.close_message(out);
                let item = FunctionCallItem {
                    id: Some(self.ctx.ids.id("fc_")),
                    call_id: id.clone(),
                    name: name.clone(),
                    arguments: String::new(),
                    status: Some("in_progress".into()),
                };
                let output_index = self.add_item(out, ResponseItem::FunctionCall(item.clone()));
                self.calls.push(OpenCall { upstream_index: *index, output_index, item });
            }
            StreamEvent::ToolCallDelta { index, arguments } => {
                let seq = self.seq();
                let Some(call) = self.calls.iter_mut().find(|c| c.upstream_index == *index) else { return };
                call.item.arguments.push_str(arguments);
                let delta = ArgumentsDeltaEvent {
                    item_id: call.item.id.clone().unwrap_or_default(),
                    output_index: call.output_index,
                    delta: arguments.clone(),
                    sequence_number: seq,
                };
                self.emit(out, &Ev::FunctionCallArgumentsDelta(delta));
            }
            StreamEvent::ToolCallEnd { index } => {
                if let Some(position) = self.calls.iter().position(|c| c.upstream_index == *index) {
                    self.close_call(out, position);
                }
            }
            StreamEvent::Usage { usage } => self.usage = Some(*usage),
            StreamEvent::Stop { reason } => {
                self.close_all(out);
                let (status, incomplete) = status_of(*reason);
                let mut response = self.response(status.clone());
                response.usage = Some(responses_usage(&self.usage.unwrap_or_default()));
                response.incomplete_details = incomplete;
                let sequence_number = self.seq();
                let event = if status == ResponseStatus::Completed {
                    Ev::Completed(ResponseEvent { response, sequence_number })
                } else {
                    Ev::Incomplete(ResponseEvent { response, sequence_number })
                };
                self.emit(out, &event);
                self.done = true;
            }
        }
    }

    fn fail(&mut self, error: &ApiError, out: &mut BytesMut) {
        let event = Ev::Error(StreamErrorEvent {
            code: Some(error.openai_code().into()),
            message: error.message.clone(),
            param: None,
            sequence_number: self.seq(),
        });
        self.emit(out, &event);
        let mut response = self.response(ResponseStatus::Failed);
        response.error =
            Some(ResponseError { code: error.openai_code().into(), message: error.message.clone() });
        let failed = Ev::Failed(ResponseEvent { response, sequence_number: self.seq() });
        self.emit(out, &failed);
    }

    fn is_done(&self) -> bool {
        self.done
    }
}

fn output_text(text: String) -> ContentPart {
    ContentPart::OutputText { text, annotations: Vec::new(), logprobs: None }
}

fn message_item(id: String, text: String) -> ResponseItem {
    ResponseItem::Message(MessageItem {
        id: Some(id),
        role: MessageRole::Assistant,
        content: ItemContent::Parts(vec![output_text(text)]),
        status: Some("completed".into()),
    })
}

fn reasoning_item(id: String, text: String, signature: Option<String>) -> ResponseItem {
    ResponseItem::Reasoning(ReasoningItem {
        id,
        summary: vec![ReasoningPart::SummaryText { text }],
        content: None,
        encrypted_content: signature,
        status: None,
    })
}

/// `completed`, or `incomplete` with the reason for a length or content-filter stop.
fn status_of(reason: StopReason) -> (ResponseStatus, Option<IncompleteDetails>) {
    match reason {
        StopReason::MaxTokens => {
            (ResponseStatus::Incomplete, Some(IncompleteDetails { reason: Some("max_output_tokens".into()) }))
        }
        StopReason::ContentFilter => {
            (ResponseStatus::Incomplete, Some(IncompleteDetails { reason: Some("content_filter".into()) }))
        }
        _ => (ResponseStatus::Completed, None),
    }
}

/// Usage in Responses' terms.
pub fn responses_usage(usage: &Usage) -> ResponsesUsage {
    ResponsesUsage {
        input_tokens: usage.total_input(),
        input_tokens_details: Some(InputTokensDetails { cached_tokens: usage.cache_read }),
        output_tokens: usage.output,
        output_tokens_details: Some(OutputTokensDetails { reasoning_tokens: usage.reasoning }),
        total_tokens: usage.total(),
    }
}

/// The whole response object.
pub fn complete(ctx: &AnswerContext, answer: &AssembledResponse) -> ResponseObject {
    let mut output = Vec::new();
    for block in &answer.message.content {
        match block {
            ContentBlock::Thinking { thinking, signature, encrypted } => output.push(reasoning_item(
                ctx.ids.id("rs_"),
                thinking.clone(),
                super::client_signature(signature.as_ref()).or_else(|| encrypted.clone()),
            )),
            ContentBlock::Text { text } => output.push(message_item(ctx.ids.id("msg_"), text.clone())),
            ContentBlock::ToolCall { id, name, arguments } => {
                output.push(ResponseItem::FunctionCall(FunctionCallItem {
                    id: Some(ctx.ids.id("fc_")),
                    call_id: id.clone(),
                    name: name.clone(),
                    arguments: arguments_text(arguments),
                    status: Some("completed".into()),
                }))
            }
            ContentBlock::ToolResult { .. } | ContentBlock::Image { .. } => {}
        }
    }
    let (status, incomplete_details) = status_of(answer.stop.unwrap_or(StopReason::EndTurn));
    ResponseObject {
        id: ctx.id.clone(),
        object: "response".into(),
        created_at: ctx.created,
        status: Some(status),
        model: ctx.model.clone(),
        output,
        usage: Some(responses_usage(&answer.usage.unwrap_or_default())),
        error: None,
        incomplete_details,
        extra: Default::default(),
    }
}
