//! A non-streaming `/api/chat` answer (`"stream": false`): one JSON object with the whole `message`,
//! `"done": true`, `done_reason` and the counts. Its content goes through the same [`AnswerBuilder`]
//! (and so the same [`EventShaper`](crate::EventShaper)) as a stream, so inline reasoning tags never
//! reach the text. A body that is a stream after all (several NDJSON lines) is decoded as one.

use llm::{ModelRequest, StreamEvent};

use super::answer::AnswerBuilder;
use super::line::ChatLine;
use super::stream::NdjsonStreamDecoder;
use crate::decode::{decode_all, StreamFault};
use crate::target::Target;

/// Decodes a whole `/api/chat` body into events ending with one `Usage` and one `Stop`.
pub fn decode_response(
    target: &Target,
    request: &ModelRequest,
    body: &[u8],
) -> Result<Vec<StreamEvent>, StreamFault> {
    let text = std::str::from_utf8(body)
        .map_err(|e| StreamFault::malformed(format!("the Ollama /api/chat answer is not UTF-8: {e}")))?;
    match serde_json::from_str::<ChatLine>(text) {
        Ok(line) => {
            let mut answer = AnswerBuilder::new(target, request);
            let mut out = Vec::new();
            answer.apply(line, text, &mut out)?;
            // The body is complete JSON, so the answer is whole even if a proxy dropped `done`.
            answer.finish_without_marker(&mut out);
            Ok(out)
        }
        Err(_) if is_ndjson(text) => {
            let mut decoder = NdjsonStreamDecoder::new(target, request);
            let (events, result) = decode_all(&mut decoder, body);
            result.map(|()| events)
        }
        Err(e) => {
            Err(StreamFault::malformed(format!("the Ollama /api/chat answer is not a JSON object: {e}")))
        }
    }
}

/// Whether the body holds more than one non-blank line.
fn is_ndjson(text: &str) -> bool {
    text.lines().filter(|line| !line.trim().is_empty()).nth(1).is_some()
}
