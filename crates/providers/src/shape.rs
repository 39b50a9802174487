//! [`EventShaper`]: the part of stream decoding every dialect shares. A dialect module reads its wire
//! events and calls the shaper with what they mean ("content text", "reasoning text", "tool call 2
//! started", "usage", "stopped"); the shaper guarantees what comes out:
//!
//! - content text goes through the [`ReasoningSplitter`], so inline `<think>`-family tags (split
//!   anywhere, implicit opener included) become thinking events, never text;
//! - tool calls get dense indexes in the order they started, and any left open are closed at the end;
//! - text tool calls (Hermes `<tool_call>` …) are held back and promoted when their tool was declared;
//! - the stream ends with exactly one `Usage` (estimated and marked so when the server sent none) and
//!   one `Stop` (tool use when calls were made).

use llm::reasoning::extract_text_tool_calls;
use llm::{
    ImplicitOpen, ModelRequest, ReasoningEffort, ReasoningSplitter, StopReason, StreamEvent, ToolSpec, Usage,
};

use crate::target::Target;
use crate::text_tools::TextToolGate;

/// Shared normaliser of one answer's events (see the module docs).
pub struct EventShaper {
    splitter: ReasoningSplitter,
    gate: TextToolGate,
    tools: Vec<ToolSpec>,
    /// Upstream tool-call keys (OpenAI's `index`, Responses' item id hash, Anthropic's block index)
    /// → (our index, still open).
    calls: Vec<(u64, usize, bool)>,
    next_index: usize,
    usage: Option<Usage>,
    prompt_estimate: u64,
    visible_chars: u64,
    thinking_chars: u64,
    finished: bool,
    scratch: Vec<StreamEvent>,
}

impl EventShaper {
    pub fn new(target: &Target, request: &ModelRequest) -> Self {
        // Only a reasoning model behind a server that passes raw model text (a local one) can stream
        // reasoning whose opener sat in the prompt; holding the start of every other answer would only
        // delay it.
        let thinking_off = request.reasoning == Some(ReasoningEffort::Off);
        let implicit = if target.model.reasoning && target.local && !thinking_off {
            ImplicitOpen::Auto
        } else {
            ImplicitOpen::No
        };
        EventShaper {
            splitter: ReasoningSplitter::new(implicit),
            gate: TextToolGate::new(&request.tools),
            tools: request.tools.clone(),
            calls: Vec::new(),
            next_index: 0,
            usage: None,
            prompt_estimate: estimate_prompt_tokens(request),
            visible_chars: 0,
            thinking_chars: 0,
            finished: false,
            scratch: Vec::new(),
        }
    }

    /// Answer text as the server sent it (may hold inline reasoning tags).
    pub fn text(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        if text.is_empty() {
            return;
        }
        let mut split = std::mem::take(&mut self.scratch);
        self.splitter.push(text, &mut split);
        self.forward_split(&mut split, out);
        self.scratch = split;
    }

    /// Reasoning from a dedicated field (`reasoning_content`, `reasoning`, `thinking`, a reasoning item).
    pub fn thinking(&mut self, text: &str, out: &mut Vec<StreamEvent>) {
        if text.is_empty() {
            return;
        }
        // The server separates reasoning itself: the content stream has no implicit opener.
        self.settle(out);
        self.thinking_chars += text.chars().count() as u64;
        out.push(StreamEvent::ThinkingDelta { text: text.to_owned() });
    }

    /// The signature / encrypted content of the current thinking block.
    pub fn thinking_signature(&mut self, signature: &str, out: &mut Vec<StreamEvent>) {
        if !signature.is_empty() {
            out.push(StreamEvent::ThinkingSignature { signature: signature.to_owned() });
        }
    }

    /// A tool call started. `key` identifies it in the upstream's own numbering.
    pub fn tool_call_start(&mut self, key: u64, id: &str, name: &str, out: &mut Vec<StreamEvent>) {
        self.settle(out);
        if self.calls.iter().any(|(k, _, _)| *k == key) {
            return;
        }
        let index = self.next_index;
        self.next_index += 1;
        self.calls.push((key, index, true));
        self.visible_chars += name.len() as u64;
        out.push(StreamEvent::ToolCallStart { index, id: id.to_owned(), name: name.to_owned() });
    }

    /// Whether the tool call `key` was started.
    pub fn has_tool_call(&self, key: u64) -> bool {
        self.calls.iter().any(|(k, _, _)| *k == key)
    }

    /// A fragment of a tool call's JSON arguments.
    pub fn tool_call_delta(&mut self, key: u64, arguments: &str, out: &mut Vec<StreamEvent>) {
        if arguments.is_empty() {
            return;
        }
        if let Some(&(_, index, true)) = self.calls.iter().find(|(k, _, _)| *k == key) {
            self.visible_chars += arguments.chars().count() as u64;
            out.push(StreamEvent::ToolCallDelta { index, arguments: arguments.to_owned() });
        }
    }

    /// The tool call `key` is complete.
    pub fn tool_call_end(&mut self, key: u64, out: &mut Vec<StreamEvent>) {
        if let Some(call) = self.calls.iter_mut().find(|(k, _, open)| *k == key && *open) {
            call.2 = false;
            out.push(StreamEvent::ToolCallEnd { index: call.1 });
        }
    }

    /// Usage as the server reported it (replaces what was recorded).
    pub fn set_usage(&mut self, usage: Usage) {
        self.usage = Some(usage);
    }

    /// The usage recorded so far, created empty on first use (for dialects that report it in parts).
    pub fn usage_mut(&mut self) -> &mut Usage {
        self.usage.get_or_insert_with(Usage::default)
    }

    /// Whether `finish` was called.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Whether any tool call was emitted so far.
    pub fn made_tool_calls(&self) -> bool {
        !self.calls.is_empty()
    }

    /// The answer is complete: flushes held text, promotes text tool calls, closes open calls, and
    /// emits `Usage` then `Stop`. Calling it twice does nothing the second time.
    pub fn finish(&mut self, stop: StopReason, out: &mut Vec<StreamEvent>) {
        if self.finished {
            return;
        }
        self.finished = true;
        let mut split = std::mem::take(&mut self.scratch);
        self.splitter.finish(&mut split);
        self.forward_split(&mut split, out);
        self.release_held(out);
        for (_, index, open) in &mut self.calls {
            if std::mem::take(open) {
                out.push(StreamEvent::ToolCallEnd { index: *index });
            }
        }
        let usage = self.usage.unwrap_or_else(|| Usage {
            input: self.prompt_estimate,
            output: (self.visible_chars + self.thinking_chars).div_ceil(4),
            reasoning: self.thinking_chars.div_ceil(4),
            estimated: true,
            ..Usage::default()
        });
        out.push(StreamEvent::Usage { usage });
        let stop =
            if self.made_tool_calls() && stop == StopReason::EndTurn { StopReason::ToolUse } else { stop };
        out.push(StreamEvent::Stop { reason: stop });
    }

    /// Ends an implicit-opener hold: the stream did not begin inside reasoning.
    fn settle(&mut self, out: &mut Vec<StreamEvent>) {
        if self.splitter.is_deciding() {
            let mut split = std::mem::take(&mut self.scratch);
            self.splitter.resolve_implicit(false, &mut split);
            self.forward_split(&mut split, out);
            self.scratch = split;
        }
    }

    /// Routes the splitter's output: thinking out directly, text through the tool-call gate.
    fn forward_split(&mut self, split: &mut Vec<StreamEvent>, out: &mut Vec<StreamEvent>) {
        for event in split.drain(..) {
            match event {
                StreamEvent::TextDelta { text } => {
                    let now = self.gate.push(text);
                    self.emit_text(now, out);
                }
                StreamEvent::ThinkingDelta { ref text } => {
                    self.thinking_chars += text.chars().count() as u64;
                    out.push(event);
                }
                other => out.push(other),
            }
        }
    }

    fn emit_text(&mut self, text: String, out: &mut Vec<StreamEvent>) {
        if !text.is_empty() {
            self.visible_chars += text.chars().count() as u64;
            out.push(StreamEvent::TextDelta { text });
        }
    }

    fn release_held(&mut self, out: &mut Vec<StreamEvent>) {
        let held = self.gate.finish();
        if held.is_empty() {
            return;
        }
        let extracted = extract_text_tool_calls(&held, &self.tools);
        for unmatched in &extracted.unmatched {
            tracing::warn!(
                pattern = unmatched.pattern.as_str(),
                tool = unmatched.name.as_deref().unwrap_or("?"),
                "tool-call-looking text left as text (tool not declared or malformed)"
            );
        }
        if extracted.calls.is_empty() {
            self.emit_text(held, out);
            return;
        }
        self.emit_text(extracted.text, out);
        for call in extracted.calls {
            let index = self.next_index;
            self.next_index += 1;
            // Keys of promoted calls cannot collide with upstream keys that are still open.
            self.calls.push((u64::MAX - index as u64, index, false));
            let arguments = call.arguments.to_string();
            self.visible_chars += (call.name.len() + arguments.len()) as u64;
            out.push(StreamEvent::ToolCallStart { index, id: format!("call_text_{index}"), name: call.name });
            out.push(StreamEvent::ToolCallDelta { index, arguments });
            out.push(StreamEvent::ToolCallEnd { index });
        }
    }
}

/// Rough prompt size of a request in tokens (about four characters per token), for servers that
/// report no usage and for the router's context-fit check.
pub fn estimate_prompt_tokens(request: &ModelRequest) -> u64 {
    let mut chars = request.system.as_deref().map_or(0, |s| s.chars().count());
    for message in &request.messages {
        chars += 4; // role and framing
        chars += message.content.iter().map(block_chars).sum::<usize>();
    }
    for tool in &request.tools {
        chars += tool.name.len()
            + tool.description.as_deref().map_or(0, str::len)
            + tool.parameters.to_string().len();
    }
    (chars as u64).div_ceil(4)
}

fn block_chars(block: &llm::ContentBlock) -> usize {
    use llm::ContentBlock as B;
    match block {
        B::Text { text } => text.chars().count(),
        B::Thinking { thinking, .. } => thinking.chars().count(),
        B::ToolCall { name, arguments, .. } => name.len() + arguments.to_string().len(),
        B::ToolResult { content, .. } => content.iter().map(block_chars).sum(),
        // Vision encoders differ; about a thousand tokens is typical for one image.
        B::Image { .. } => 4 * 1024,
    }
}
