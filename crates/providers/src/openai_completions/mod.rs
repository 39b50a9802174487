//! The `openai-completions` dialect: `POST {baseUrl}/chat/completions`, the dialect of LM Studio,
//! vLLM, llama.cpp, SGLang, LiteLLM, OpenRouter, OpenAI and most `/v1` servers
//! (openclaw-behaviour §2.2).
//!
//! # Layout
//! - `request.rs`: the body — sampling, length, tools, reasoning switches, server-specific extras,
//!   proxy-route shaping and `params.extra_body` (merged last).
//! - `messages.rs`: the conversation as Chat Completions messages, with replay hygiene for thinking.
//! - `tools.rs`: tool definitions, schema clean-up and `tool_choice`.
//! - `reasoning.rs`: `reasoning_effort` and the `thinkingFormat` switches.
//! - `chunk.rs`: what one streamed chunk or one whole message means, fed to the [`EventShaper`]
//!   (shared by the stream and the non-streamed answer).
//! - `stream.rs`: [`Decoder`], the SSE stream decoder; `response.rs`: the non-streamed answer.
//!
//! [`EventShaper`]: crate::shape::EventShaper

mod chunk;
mod messages;
mod reasoning;
mod request;
mod response;
mod stream;
mod tools;

pub use request::build_request;
pub use response::decode_response;
pub use stream::{decoder, Decoder};
