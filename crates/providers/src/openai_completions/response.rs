//! The non-streamed answer (`chat.completion`): `choices[0].message` — reasoning field, content,
//! tool calls — its finish reason and `usage`, read through the same [`ChunkReader`] as the stream
//! so inline reasoning tags never reach the text.

use llm::{ModelRequest, StreamEvent};
use serde::de::IgnoredAny;
use serde::Deserialize;
use wire::openai_chat::{ChatChoice, ChatUsage};

use super::chunk::ChunkReader;
use crate::decode::StreamFault;
use crate::target::Target;

/// The fields of a completion this module reads.
#[derive(Debug, Deserialize)]
struct CompletionBody {
    #[serde(default)]
    choices: Vec<ChatChoice>,
    #[serde(default)]
    usage: Option<ChatUsage>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

/// Decodes a whole `chat.completion` body into events ending with `Usage` and `Stop`.
pub fn decode_response(
    target: &Target,
    request: &ModelRequest,
    body: &[u8],
) -> Result<Vec<StreamEvent>, StreamFault> {
    let mut reader = ChunkReader::new(target, request);
    let text = std::str::from_utf8(body)
        .map_err(|e| StreamFault::malformed(format!("the answer is not UTF-8 text: {e}")))?;
    let completion: CompletionBody = serde_json::from_str(text)
        .map_err(|e| StreamFault::malformed(format!("the answer is not a chat.completion object: {e}")))?;
    if completion.error.is_some() {
        return Err(reader.upstream_error(text));
    }
    let choice = completion
        .choices
        .iter()
        .find(|c| c.index == 0)
        .or(completion.choices.first())
        .ok_or_else(|| StreamFault::malformed("the answer has no choices"))?;

    let mut out = Vec::new();
    let message = &choice.message;
    if let Some(reasoning) = &message.reasoning_content {
        reader.reasoning("reasoning_content", reasoning, &mut out);
    }
    if let Some(reasoning) = &message.reasoning {
        reader.reasoning("reasoning", reasoning, &mut out);
    }
    if let Some(content) = &message.content {
        reader.content(content, &mut out);
    }
    if let Some(refusal) = &message.refusal {
        reader.content(refusal, &mut out);
    }
    for (index, call) in message.tool_calls.iter().flatten().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        reader.tool_call(
            index,
            Some(&call.id),
            Some(&call.function.name),
            Some(&call.function.arguments),
            &mut out,
        );
    }
    if let Some(reason) = &choice.finish_reason {
        reader.finish_reason(reason)?;
    }
    if let Some(usage) = &completion.usage {
        reader.usage(usage);
    }
    reader.finish(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::{FailoverReason, StopReason, Usage};
    use serde_json::json;

    fn decode(body: serde_json::Value) -> Result<Vec<StreamEvent>, StreamFault> {
        let model = ResolvedModel::new("lmstudio", "m", Api::OpenaiCompletions, "http://127.0.0.1:1234/v1");
        decode_response(&Target::new(model), &ModelRequest::default(), body.to_string().as_bytes())
    }

    #[test]
    fn a_whole_answer_becomes_events() {
        let events = decode(json!({"id": "x", "object": "chat.completion", "choices": [{"index": 0,
            "message": {"role": "assistant", "content": "<think>hidden</think>Shown", "reasoning_content": "why",
                        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "ls", "arguments": "{}"}}]},
            "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59,
                      "prompt_tokens_details": {"cached_tokens": 20}}}))
        .unwrap();
        assert_eq!(
            events,
            vec![
                StreamEvent::ThinkingDelta { text: "why".into() },
                StreamEvent::ThinkingSignature { signature: "reasoning_content".into() },
                StreamEvent::ThinkingDelta { text: "hidden".into() },
                StreamEvent::TextDelta { text: "Shown".into() },
                StreamEvent::ToolCallStart { index: 0, id: "c1".into(), name: "ls".into() },
                StreamEvent::ToolCallDelta { index: 0, arguments: "{}".into() },
                StreamEvent::ToolCallEnd { index: 0 },
                StreamEvent::Usage {
                    usage: Usage { input: 30, output: 9, cache_read: 20, ..Usage::default() }
                },
                StreamEvent::Stop { reason: StopReason::ToolUse },
            ]
        );
    }

    #[test]
    fn errors_and_empty_answers_are_faults() {
        match decode(json!({"error": {"message": "No models loaded", "code": "model_not_found"}})) {
            Err(StreamFault::Upstream { signal }) => assert_eq!(signal.message, "No models loaded"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(decode(json!({"choices": []})), Err(StreamFault::Malformed { .. })));
        let failed =
            decode(json!({"choices": [{"index": 0, "message": {"content": ""}, "finish_reason": "error"}]}));
        match failed {
            Err(StreamFault::Upstream { signal }) => {
                assert_eq!(signal.classify(), FailoverReason::ServerError)
            }
            other => panic!("{other:?}"),
        }
    }
}
