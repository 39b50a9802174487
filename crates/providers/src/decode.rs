//! The contract between the generic HTTP driver (`call.rs`) and a dialect module: a
//! [`StreamDecoder`] turns the bytes of one streamed answer into [`StreamEvent`]s, and says how it
//! went wrong with a [`StreamFault`]. Decoders are pure (no IO), so golden tests feed them recorded
//! transcripts split at any byte.

use llm::StreamEvent;

use crate::classify::{ErrorSignal, TransportFailure};

/// Why a stream could not be decoded to its end.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamFault {
    /// A chunk was not valid JSON / UTF-8 / the expected shape. `detail` names what and where.
    Malformed { detail: String },
    /// The bytes ended before the dialect's terminal event (`[DONE]`, `message_stop`,
    /// `response.completed`, `"done": true`).
    EndedWithoutTerminal,
    /// The server sent an error inside the stream (an `error` event, `response.failed`, an NDJSON
    /// `{"error":…}` line, a `finish_reason: "error"`).
    Upstream { signal: ErrorSignal },
}

impl StreamFault {
    /// The transport failure this fault is, when it is one (not an upstream error).
    pub fn transport_failure(&self) -> Option<TransportFailure> {
        match self {
            StreamFault::Malformed { .. } => Some(TransportFailure::MalformedChunk),
            StreamFault::EndedWithoutTerminal => Some(TransportFailure::StreamEndedWithoutTerminal),
            StreamFault::Upstream { .. } => None,
        }
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        StreamFault::Malformed { detail: detail.into() }
    }
}

/// Decodes one streamed answer. `push` may be called with any split of the bytes; events come out in
/// order. After `finish` returns `Ok`, the events ended with exactly one `Usage` and one `Stop`.
pub trait StreamDecoder: Send {
    /// Feeds the next bytes of the body.
    fn push(&mut self, bytes: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), StreamFault>;

    /// The body ended (cleanly). Flushes what is held and checks the terminal event was seen.
    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), StreamFault>;
}

/// Decodes a whole transcript in one go (tests, non-streaming fallbacks).
pub fn decode_all(
    decoder: &mut dyn StreamDecoder,
    bytes: &[u8],
) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
    let mut out = Vec::new();
    let result = decoder.push(bytes, &mut out).and_then(|()| decoder.finish(&mut out));
    (out, result)
}

/// Decodes a transcript fed in pieces of `piece` bytes (split anywhere, even inside UTF-8).
pub fn decode_in_pieces(
    decoder: &mut dyn StreamDecoder,
    bytes: &[u8],
    piece: usize,
) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
    let mut out = Vec::new();
    for chunk in bytes.chunks(piece.max(1)) {
        if let Err(fault) = decoder.push(chunk, &mut out) {
            return (out, Err(fault));
        }
    }
    let result = decoder.finish(&mut out);
    (out, result)
}
