//! [`ResponseMapper`]: what each Responses event means for the answer, fed to the [`EventShaper`].
//!
//! Output items are tracked by `output_index` (every delta carries it): an item opens with
//! `response.output_item.added`, streams its deltas (reasoning summary or raw reasoning text →
//! thinking; output text and refusals → text; function-call arguments → the call keyed by its index)
//! and closes with `response.output_item.done`. Content that never streamed as deltas is taken from
//! the first place it appears whole: a `.done` event (LM Studio sends its reasoning only as
//! `response.reasoning_text.done`), else the finished item (also the non-streamed path).
//! The terminal events (`response.completed` / `.incomplete`) carry usage and the stop reason;
//! `response.failed` and `error` end the answer with an upstream fault.

use llm::{ModelRequest, StreamEvent};
use wire::openai_responses::{
    ContentPart, FunctionCallItem, ItemContent, ReasoningItem, ResponseItem, ResponseObject,
    ResponsesStreamEvent, StreamErrorEvent,
};

use super::ids::reasoning_state;
use super::outcome::{self, Outcome};
use crate::decode::StreamFault;
use crate::shape::EventShaper;
use crate::target::Target;

/// Separator written between two reasoning summary parts.
const SUMMARY_PART_BREAK: &str = "\n\n";

/// One output item seen so far.
#[derive(Debug)]
struct ItemState {
    output_index: u32,
    /// Some content of it was streamed as deltas (so its done event must not repeat it).
    streamed: bool,
}

/// Maps Responses events and items onto the shaper (see the module docs).
pub struct ResponseMapper {
    shaper: EventShaper,
    provider: String,
    items: Vec<ItemState>,
    refused: bool,
}

impl ResponseMapper {
    pub fn new(target: &Target, request: &ModelRequest) -> Self {
        ResponseMapper {
            shaper: EventShaper::new(target, request),
            provider: target.model.provider.clone(),
            items: Vec::new(),
            refused: false,
        }
    }

    /// Whether the answer ended (a terminal event was applied).
    pub fn is_finished(&self) -> bool {
        self.shaper.is_finished()
    }

    /// Applies one stream event. Events after the terminal one are ignored.
    pub fn apply(
        &mut self,
        event: ResponsesStreamEvent,
        out: &mut Vec<StreamEvent>,
    ) -> Result<(), StreamFault> {
        use ResponsesStreamEvent as E;
        if self.is_finished() {
            return Ok(());
        }
        match event {
            E::OutputItemAdded(e) => self.item_added(e.output_index, &e.item, out),
            E::ReasoningSummaryPartAdded(e) => {
                if e.summary_index > 0 {
                    self.shaper.thinking(SUMMARY_PART_BREAK, out);
                }
            }
            E::ReasoningSummaryTextDelta(e) => {
                self.mark_streamed(e.output_index);
                self.shaper.thinking(&e.delta, out);
            }
            E::ReasoningTextDelta(e) => {
                self.mark_streamed(e.output_index);
                self.shaper.thinking(&e.delta, out);
            }
            E::OutputTextDelta(e) => {
                self.mark_streamed(e.output_index);
                self.shaper.text(&e.delta, out);
            }
            E::RefusalDelta(e) => {
                self.refused = true;
                self.mark_streamed(e.output_index);
                self.shaper.text(&e.delta, out);
            }
            E::FunctionCallArgumentsDelta(e) => {
                // Arguments of a call never announced cannot be placed; the done item carries them.
                let key = u64::from(e.output_index);
                if self.shaper.has_tool_call(key) {
                    self.mark_streamed(e.output_index);
                    self.shaper.tool_call_delta(key, &e.delta, out);
                }
            }
            E::FunctionCallArgumentsDone(e) => {
                let key = u64::from(e.output_index);
                if !self.streamed(e.output_index) {
                    if let (false, Some(name)) = (self.shaper.has_tool_call(key), e.name.as_deref()) {
                        self.shaper.tool_call_start(key, &e.item_id, name, out);
                    }
                    if self.shaper.has_tool_call(key) {
                        self.mark_streamed(e.output_index);
                        self.shaper.tool_call_delta(key, &e.arguments, out);
                    }
                }
            }
            E::OutputItemDone(e) => self.item_done(e.output_index, &e.item, out),
            E::Completed(e) | E::Incomplete(e) => self.finish(&e.response, out)?,
            E::Failed(e) => return Err(outcome::failure(&e.response, &self.provider)),
            E::Error(e) => return Err(self.error_event(e)),
            // The `.done` events repeat what the deltas said; some servers (LM Studio's reasoning)
            // send only them, so their text counts when nothing of the item streamed.
            E::ReasoningTextDone(e) => {
                if !self.streamed(e.output_index) {
                    self.mark_streamed(e.output_index);
                    self.shaper.thinking(&e.text, out);
                }
            }
            E::ReasoningSummaryTextDone(e) => {
                if !self.streamed(e.output_index) {
                    self.mark_streamed(e.output_index);
                    self.shaper.thinking(&e.text, out);
                }
            }
            E::OutputTextDone(e) => {
                if !self.streamed(e.output_index) {
                    self.mark_streamed(e.output_index);
                    self.shaper.text(&e.text, out);
                }
            }
            E::RefusalDone(e) => {
                if !self.streamed(e.output_index) {
                    self.refused = true;
                    self.mark_streamed(e.output_index);
                    self.shaper.text(&e.refusal, out);
                }
            }
            E::Created(_)
            | E::Queued(_)
            | E::InProgress(_)
            | E::ContentPartAdded(_)
            | E::ContentPartDone(_)
            | E::ReasoningSummaryPartDone(_)
            | E::Unknown => {}
        }
        Ok(())
    }

    /// A finished output item: emits what of it was not streamed, its reasoning state, and closes a
    /// function call. Also the whole work of the non-streaming decoder, item by item.
    pub fn item_done(&mut self, output_index: u32, item: &ResponseItem, out: &mut Vec<StreamEvent>) {
        let streamed = self.streamed(output_index);
        self.mark_seen(output_index);
        match item {
            ResponseItem::Reasoning(reasoning) => {
                if !streamed {
                    self.shaper.thinking(&reasoning_text(reasoning), out);
                }
                if let Some(encrypted) = reasoning.encrypted_content.as_deref().filter(|e| !e.is_empty()) {
                    self.shaper.thinking_signature(&reasoning_state(&reasoning.id, encrypted), out);
                }
            }
            ResponseItem::Message(message) | ResponseItem::UntypedMessage(message) => {
                if !streamed {
                    self.message_text(&message.content, out);
                }
            }
            ResponseItem::FunctionCall(call) => {
                let key = u64::from(output_index);
                self.start_call(key, call, out);
                if !streamed {
                    self.shaper.tool_call_delta(key, &call.arguments, out);
                }
                self.shaper.tool_call_end(key, out);
            }
            ResponseItem::FunctionCallOutput(_)
            | ResponseItem::ItemReference { .. }
            | ResponseItem::Other(_) => {}
        }
    }

    /// The terminal response: usage, then the stop reason its status gives (or its failure).
    pub fn finish(
        &mut self,
        response: &ResponseObject,
        out: &mut Vec<StreamEvent>,
    ) -> Result<(), StreamFault> {
        match outcome::outcome(response, self.refused, &self.provider) {
            Outcome::Failed(fault) => Err(fault),
            Outcome::Unfinished => Err(StreamFault::EndedWithoutTerminal),
            Outcome::Stopped(stop) => {
                if let Some(usage) = &response.usage {
                    self.shaper.set_usage(outcome::usage(usage));
                }
                self.shaper.finish(stop, out);
                Ok(())
            }
        }
    }

    fn item_added(&mut self, output_index: u32, item: &ResponseItem, out: &mut Vec<StreamEvent>) {
        self.mark_seen(output_index);
        if let ResponseItem::FunctionCall(call) = item {
            let key = u64::from(output_index);
            self.start_call(key, call, out);
            if !call.arguments.is_empty() {
                self.mark_streamed(output_index);
                self.shaper.tool_call_delta(key, &call.arguments, out);
            }
        }
    }

    /// Announces a call under its `call_id` (what a tool result must refer to), once.
    fn start_call(&mut self, key: u64, call: &FunctionCallItem, out: &mut Vec<StreamEvent>) {
        if !self.shaper.has_tool_call(key) {
            let id =
                if call.call_id.is_empty() { call.id.as_deref().unwrap_or_default() } else { &call.call_id };
            self.shaper.tool_call_start(key, id, &call.name, out);
        }
    }

    fn message_text(&mut self, content: &ItemContent, out: &mut Vec<StreamEvent>) {
        match content {
            ItemContent::Text(text) => self.shaper.text(text, out),
            ItemContent::Parts(parts) => {
                for part in parts {
                    match part {
                        ContentPart::OutputText { text, .. } => self.shaper.text(text, out),
                        ContentPart::Refusal { refusal } => {
                            self.refused = true;
                            self.shaper.text(refusal, out);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    fn error_event(&self, event: StreamErrorEvent) -> StreamFault {
        let signal = outcome::coded_signal(&event.message, event.code.as_deref());
        StreamFault::Upstream { signal: signal.with_provider(self.provider.as_str()) }
    }

    fn streamed(&self, output_index: u32) -> bool {
        self.items.iter().any(|i| i.output_index == output_index && i.streamed)
    }

    fn mark_seen(&mut self, output_index: u32) -> &mut ItemState {
        let at = match self.items.iter().position(|i| i.output_index == output_index) {
            Some(at) => at,
            None => {
                self.items.push(ItemState { output_index, streamed: false });
                self.items.len() - 1
            }
        };
        &mut self.items[at]
    }

    fn mark_streamed(&mut self, output_index: u32) {
        self.mark_seen(output_index).streamed = true;
    }
}

/// A finished reasoning item's text: its summary parts, else its raw reasoning text (LM Studio).
fn reasoning_text(reasoning: &ReasoningItem) -> String {
    let summary: Vec<&str> = reasoning.summary.iter().map(|p| p.text()).filter(|t| !t.is_empty()).collect();
    if !summary.is_empty() {
        return summary.join(SUMMARY_PART_BREAK);
    }
    reasoning.content.iter().flatten().map(|p| p.text()).collect()
}
