//! The `openai-responses` dialect: `POST {baseUrl}/responses` on OpenAI, LM Studio and other servers
//! that speak the Responses API.
//!
//! Reasoning arrives as its own `reasoning` output items (OpenAI: summaries plus encrypted content;
//! LM Studio: the raw reasoning text), so it never mixes with the answer; answer text still goes
//! through the shared [`EventShaper`](crate::EventShaper) in case a model inlines `<think>` tags.
//!
//! # Layout
//! - `request.rs`: the body (sampling, tools, reasoning, native-OpenAI-only fields, `extra_body`).
//! - `input.rs`: the conversation as `input` items.
//! - `ids.rs`: tool-call ids (`call_id`, or OpenClaw's `"<call_id>|<item_id>"`) and the reasoning
//!   replay state (`"<rs_id>|<encrypted_content>"`) carried in thinking signatures.
//! - `stream.rs`: the SSE decoder; `mapper.rs`: what each event and item means; `outcome.rs`: usage,
//!   stop reason and failure of a finished response; `response.rs`: non-streamed answers.

mod ids;
mod input;
mod mapper;
mod outcome;
mod request;
mod response;
mod stream;

use llm::ModelRequest;

use crate::target::Target;

pub use ids::{parse_reasoning_state, reasoning_state, split_tool_call_id};
pub use request::build_request;
pub use response::decode_response;
pub use stream::ResponsesDecoder;

/// The stream decoder for one call.
pub fn decoder(target: &Target, request: &ModelRequest) -> ResponsesDecoder {
    ResponsesDecoder::new(target, request)
}

#[cfg(test)]
mod decode_tests;
#[cfg(test)]
mod request_tests;
