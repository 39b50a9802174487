//! The `ollama` dialect: Ollama's native `POST {baseUrl}/api/chat`, streamed as NDJSON.
//!
//! # Layout
//! - `request.rs`: the URL (a `/v1` suffix is dropped: the native API is at the root) and the body.
//! - `messages.rs`: the conversation as Ollama messages (images, tool calls, tool results, replayed
//!   reasoning).
//! - `options.rs`: `options` (`num_ctx` always, `num_predict`, sampling, params Ollama knows) and
//!   `keep_alive`; `think.rs`: the `think` switch or level; `tools.rs`: the tool list and its schemas.
//! - `line.rs`: one answer object as read back; `answer.rs`: what an object means, as events;
//!   `stream.rs`: the NDJSON stream decoder; `response.rs`: the non-streaming answer.
//!
//! # Versions
//! Ollama 0.9 moved reasoning into `message.thinking` (with the `think` switch); older versions, and
//! models without the thinking capability, put `<think>…</think>` inline in `content`, which the
//! [`EventShaper`](crate::EventShaper) splits off. Tool calls arrive whole (never in fragments) in
//! `message.tool_calls`, streamed alongside text since 0.8; recent versions give them an `id`, older
//! ones none, in which case they are named `call_<n>` in arrival order.

mod answer;
mod line;
mod messages;
mod options;
mod request;
mod response;
mod stream;
#[cfg(test)]
mod tests;
mod think;
mod tools;

use llm::ModelRequest;

use crate::target::Target;

pub use options::{DEFAULT_NUM_CTX, PASSTHROUGH_OPTIONS};
pub use request::{build_request, chat_url, DEFAULT_BASE_URL};
pub use response::decode_response;
pub use stream::NdjsonStreamDecoder;

/// The decoder of a streamed `/api/chat` answer.
pub type Decoder = NdjsonStreamDecoder;

/// A decoder for one streamed answer to `request`.
pub fn decoder(target: &Target, request: &ModelRequest) -> Decoder {
    NdjsonStreamDecoder::new(target, request)
}
