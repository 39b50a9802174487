//! The `anthropic-messages` dialect: `POST {baseUrl}/v1/messages`, answered with a server-sent-events
//! stream of named events (or, without `stream`, one message object). Spoken by Anthropic itself and
//! by Anthropic-compatible endpoints (MiniMax, Kimi Coding, Synthetic, LiteLLM's `/v1/messages`,
//! llama.cpp, Ollama and LM Studio's compatibility routes).
//!
//! # Layout
//! - `endpoint.rs`: the URL rule (a base URL that already ends in `/v1` is not doubled).
//! - `request.rs`: the request body — model, `max_tokens`, system, tools, `tool_choice`, sampling,
//!   extended thinking, `params.extra_body` — and the dialect headers.
//! - `messages.rs`: conversation history → user/assistant turns (merging, tool results, images,
//!   replayed thinking).
//! - `thinking.rs`: reasoning effort → thinking budget, and what thinking rules out.
//! - `content.rs`: one content block of the answer (stream start or whole message) → shaper calls.
//! - `usage.rs`, `stop.rs`: usage and stop reasons, shared by the stream and the message object.
//! - `stream.rs`: the [`Decoder`] of the event stream; `response.rs`: the non-streamed message.
//!
//! Reasoning arrives in dedicated `thinking` blocks (→ `EventShaper::thinking`); text blocks still go
//! through `EventShaper::text`, because local models behind Anthropic-compatible proxies print
//! inline `<think>` tags into them.

mod content;
mod endpoint;
mod messages;
mod request;
mod response;
mod stop;
mod stream;
mod thinking;
mod usage;

pub use endpoint::messages_url;
pub use request::{build_request, ANTHROPIC_VERSION};
pub use response::decode_response;
pub use stream::{decoder, Decoder};
pub use thinking::thinking_budget;
