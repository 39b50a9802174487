//! [`NdjsonStreamDecoder`]: a streamed `/api/chat` answer (`application/x-ndjson`, one JSON object
//! per line) into events. The stream must end with a `"done": true` line; bytes that end before it,
//! including a last line cut in the middle, are [`StreamFault::EndedWithoutTerminal`]. A line that is
//! not JSON is [`StreamFault::Malformed`]; an `{"error":…}` line is [`StreamFault::Upstream`].

use llm::{ModelRequest, StreamEvent};
use wire::ndjson::NdjsonDecoder;

use super::answer::AnswerBuilder;
use super::line::ChatLine;
use crate::decode::{StreamDecoder, StreamFault};
use crate::target::Target;

/// Longest piece of a bad line quoted in a [`StreamFault::Malformed`] detail.
const QUOTED_LINE_CHARS: usize = 120;

/// Decodes one streamed `/api/chat` answer.
pub struct NdjsonStreamDecoder {
    lines: NdjsonDecoder,
    answer: AnswerBuilder,
    /// Lines read so far, for error details.
    line_number: usize,
}

impl NdjsonStreamDecoder {
    pub fn new(target: &Target, request: &ModelRequest) -> Self {
        NdjsonStreamDecoder {
            lines: NdjsonDecoder::new(),
            answer: AnswerBuilder::new(target, request),
            line_number: 0,
        }
    }

    fn line(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        self.line_number += 1;
        let text = std::str::from_utf8(bytes).map_err(|e| {
            StreamFault::malformed(format!(
                "line {} of the Ollama /api/chat stream is not UTF-8: {e}",
                self.line_number
            ))
        })?;
        let line: ChatLine = serde_json::from_str(text).map_err(|e| {
            StreamFault::malformed(format!(
                "line {} of the Ollama /api/chat stream is not a JSON object ({e}): {}",
                self.line_number,
                quote(text)
            ))
        })?;
        self.answer.apply(line, text, out)
    }
}

impl StreamDecoder for NdjsonStreamDecoder {
    fn push(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        if self.answer.is_done() {
            return Ok(());
        }
        self.lines.push(bytes);
        while let Some(line) = self.lines.next_line().map_err(|e| {
            StreamFault::malformed(format!("the Ollama /api/chat stream could not be split into lines: {e}"))
        })? {
            self.line(&line, out)?;
            if self.answer.is_done() {
                break;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        if self.answer.is_done() {
            return Ok(());
        }
        // A last line without its newline: complete JSON is used (a proxy may drop the final LF);
        // anything else is a line the connection cut off.
        if let Some(rest) = self.lines.finish() {
            if serde_json::from_slice::<serde::de::IgnoredAny>(&rest).is_ok() {
                self.line(&rest, out)?;
            }
        }
        if self.answer.is_done() {
            Ok(())
        } else {
            Err(StreamFault::EndedWithoutTerminal)
        }
    }
}

/// The start of a line, for an error detail (never cut inside a character).
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTED_LINE_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
