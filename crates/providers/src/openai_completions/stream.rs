//! [`Decoder`]: a streamed Chat Completions answer (`text/event-stream` of `chat.completion.chunk`
//! objects, then `data: [DONE]`) into [`StreamEvent`]s.
//!
//! - `data: [DONE]` is the terminal event: only then is the answer finished (`Usage`, `Stop`), and
//!   anything after it is ignored. Bytes that end without it → [`StreamFault::EndedWithoutTerminal`].
//! - A `data: {"error": …}` chunk (string or object error, also next to `choices` as OpenRouter sends
//!   it) or an `event: error` → [`StreamFault::Upstream`]; a chunk that is not JSON →
//!   [`StreamFault::Malformed`]. Comments and keep-alives are skipped by the SSE decoder.
//! - The usage chunk may come after the finish reason, with empty `choices` (OpenAI, vLLM, LM
//!   Studio), or on the finish chunk (llama.cpp), or not at all (then the shaper estimates it).

use llm::{ModelRequest, StreamEvent};
use serde::de::IgnoredAny;
use serde::Deserialize;
use wire::openai_chat::{ChatUsage, ChunkChoice};
use wire::sse::{SseDecoder, SseEvent};

use super::chunk::ChunkReader;
use crate::decode::{StreamDecoder, StreamFault};
use crate::target::Target;

/// How much of a bad chunk is quoted in a `Malformed` fault.
const QUOTED_CHUNK_CHARS: usize = 200;

/// The fields of a chunk this decoder reads. `error` is only checked for presence; the raw JSON
/// goes to the error classifier.
#[derive(Debug, Deserialize)]
struct StreamChunk {
    #[serde(default)]
    choices: Vec<ChunkChoice>,
    #[serde(default)]
    usage: Option<ChatUsage>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

/// The stream decoder of the `openai-completions` dialect.
pub struct Decoder {
    sse: SseDecoder,
    reader: ChunkReader,
    done: bool,
}

/// A decoder for one streamed answer to `request` from `target`.
pub fn decoder(target: &Target, request: &ModelRequest) -> Decoder {
    Decoder { sse: SseDecoder::new(), reader: ChunkReader::new(target, request), done: false }
}

impl Decoder {
    fn event(&mut self, event: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        if event.is_done() {
            self.done = true;
            self.reader.finish(out);
            return Ok(());
        }
        let data = event.data().trim();
        if data.is_empty() {
            return Ok(());
        }
        if event.event_type() == "error" {
            return Err(self.reader.upstream_error(data));
        }
        let chunk: StreamChunk = serde_json::from_str(data)
            .map_err(|e| StreamFault::malformed(format!("chunk is not valid JSON ({e}): {}", quote(data))))?;
        if chunk.error.is_some() {
            return Err(self.reader.upstream_error(data));
        }
        for choice in chunk.choices.iter().filter(|c| c.index == 0) {
            self.choice(choice, out)?;
        }
        if let Some(usage) = &chunk.usage {
            self.reader.usage(usage);
        }
        Ok(())
    }

    fn choice(&mut self, choice: &ChunkChoice, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        let delta = &choice.delta;
        if let Some(text) = &delta.reasoning_content {
            self.reader.reasoning("reasoning_content", text, out);
        }
        if let Some(text) = &delta.reasoning {
            self.reader.reasoning("reasoning", text, out);
        }
        if let Some(text) = &delta.content {
            self.reader.content(text, out);
        }
        if let Some(text) = &delta.refusal {
            self.reader.content(text, out);
        }
        for call in delta.tool_calls.iter().flatten() {
            let function = call.function.as_ref();
            self.reader.tool_call(
                call.index,
                call.id.as_deref(),
                function.and_then(|f| f.name.as_deref()),
                function.and_then(|f| f.arguments.as_deref()),
                out,
            );
        }
        if let Some(reason) = &choice.finish_reason {
            self.reader.finish_reason(reason)?;
        }
        Ok(())
    }
}

impl StreamDecoder for Decoder {
    fn push(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        if self.done {
            return Ok(());
        }
        self.sse.push(bytes);
        while let Some(event) =
            self.sse.next_event().map_err(|e| StreamFault::malformed(format!("event stream: {e}")))?
        {
            self.event(&event, out)?;
            if self.done {
                break;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        if self.done {
            return Ok(());
        }
        let end = self.sse.finish();
        for event in &end.undelivered {
            self.event(event, out)?;
            if self.done {
                return Ok(());
            }
        }
        // A final `data: [DONE]` whose blank line never came still ends the answer; any other
        // half-sent event is a cut stream.
        if let Some(event) = end.incomplete_event.filter(SseEvent::is_done) {
            return self.event(&event, out);
        }
        Err(StreamFault::EndedWithoutTerminal)
    }
}

/// The start of a chunk, for error messages.
fn quote(data: &str) -> String {
    match data.char_indices().nth(QUOTED_CHUNK_CHARS) {
        Some((end, _)) => format!("{}…", &data[..end]),
        None => data.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_all;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::{FailoverReason, StopReason};

    fn run(sse: &str) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
        let model = ResolvedModel::new("vllm", "m", Api::OpenaiCompletions, "http://127.0.0.1:8000/v1");
        let target = Target::new(model);
        let mut decoder = decoder(&target, &ModelRequest::default());
        decode_all(&mut decoder, sse.as_bytes())
    }

    fn upstream_reason(result: Result<(), StreamFault>) -> FailoverReason {
        match result {
            Err(StreamFault::Upstream { signal }) => signal.classify(),
            other => panic!("expected an upstream fault, got {other:?}"),
        }
    }

    #[test]
    fn failure_finish_reasons_are_upstream_faults() {
        let error = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n\ndata: [DONE]\n\n";
        let (events, result) = run(error);
        assert!(events.is_empty());
        assert_eq!(upstream_reason(result), FailoverReason::ServerError);
        let overflow = "data: {\"choices\":[{\"index\":0,\"delta\":{},\
                        \"finish_reason\":\"model_context_window_exceeded\"}]}\n\n";
        assert_eq!(upstream_reason(run(overflow).1), FailoverReason::ContextOverflow);
        let aborted = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"abort\"}]}\n\n";
        assert_eq!(upstream_reason(run(aborted).1), FailoverReason::Timeout);
    }

    #[test]
    fn named_error_events_and_error_objects_are_upstream_faults() {
        let named = "event: error\ndata: {\"message\":\"overloaded\",\"code\":503}\n\n";
        assert!(matches!(run(named).1, Err(StreamFault::Upstream { .. })));
        let string_error = "data: {\"error\":\"Rate limit exceeded\"}\n\n";
        assert_eq!(upstream_reason(run(string_error).1), FailoverReason::RateLimit);
    }

    #[test]
    fn done_is_required_and_may_lack_its_blank_line() {
        let text = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"length\"}]}\n\n";
        let (_, result) = run(text);
        assert_eq!(result, Err(StreamFault::EndedWithoutTerminal));
        let (events, result) = run(&format!("{text}data: [DONE]"));
        assert_eq!(result, Ok(()));
        assert_eq!(events.last(), Some(&StreamEvent::Stop { reason: StopReason::MaxTokens }));
        let (events, result) = run(&format!("{text}data: [DONE]\n\ndata: {{not json\n\n"));
        assert_eq!(result, Ok(()), "bytes after [DONE] are ignored");
        assert_eq!(events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count(), 1);
    }

    #[test]
    fn a_chunk_that_is_not_json_is_malformed() {
        let (_, result) = run("data: {\"choices\":[\n\n");
        assert!(
            matches!(result, Err(StreamFault::Malformed { ref detail }) if detail.contains("not valid JSON"))
        );
    }

    #[test]
    fn arguments_before_the_name_are_held_until_it_comes() {
        let sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\
                   \"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n\
                   data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\
                   \"function\":{\"name\":\"ls\",\"arguments\":\":1}\"}}]}}]}\n\n\
                   data: [DONE]\n\n";
        let (events, result) = run(sse);
        assert_eq!(result, Ok(()));
        assert_eq!(
            events[..3],
            [
                StreamEvent::ToolCallStart { index: 0, id: "c1".into(), name: "ls".into() },
                StreamEvent::ToolCallDelta { index: 0, arguments: "{\"a\"".into() },
                StreamEvent::ToolCallDelta { index: 0, arguments: ":1}".into() },
            ]
        );
        assert_eq!(events.last(), Some(&StreamEvent::Stop { reason: StopReason::ToolUse }));
    }

    #[test]
    fn only_the_first_choice_is_read() {
        let sse = "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},\
                   {\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\ndata: [DONE]\n\n";
        let (events, _) = run(sse);
        assert_eq!(events[0], StreamEvent::TextDelta { text: "mine".into() });
        assert_eq!(events.len(), 3);
    }
}
