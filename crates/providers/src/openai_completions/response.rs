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
