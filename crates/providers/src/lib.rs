//! Transports: one module per upstream `api` dialect, each turning an `llm::ModelRequest` into that
//! dialect's HTTP request and its answer (streamed or not) back into `llm::StreamEvent`s.
//!
//! # Layout
//! - [`Client`] (`call.rs`): HTTP, error statuses, the [`EventStream`] lifecycle; dialect-agnostic.
//! - [`Target`] (`target.rs`): one model, ready to call (credential, headers, timeout, locality).
//! - [`Dialect`] (`dialect.rs`): dispatch by `api` to `openai_completions`, `openai_responses`,
//!   `anthropic_messages`, `ollama`. Each has `build_request`, `decoder`, `decode_response`.
//! - [`EventShaper`] (`shape.rs`) + `text_tools.rs`: what every decoder shares — reasoning tags,
//!   tool-call indexes, text tool calls, estimated usage, exactly one `Usage` and `Stop` at the end.
//! - [`StreamDecoder`] / [`StreamFault`] (`decode.rs`): the decoder contract.
//! - [`ProviderError`] (`error.rs`), classified by [`classify`] into a `FailoverReason`.
//! - `http.rs`: the reqwest clients and the mapping of their errors onto `TransportFailure`.

pub mod anthropic_messages;
mod call;
pub mod classify;
pub mod decode;
pub mod dialect;
pub mod discovery;
pub mod error;
mod http;
pub mod local_service;
pub mod ollama;
pub mod openai_completions;
pub mod openai_responses;
pub mod request;
pub mod shape;
pub mod target;
pub mod text_tools;
pub mod tool_schema;

pub use call::{completion, Client, Completion, EventStream};
pub use decode::{StreamDecoder, StreamFault};
pub use dialect::Dialect;
pub use error::{ProviderError, ProviderErrorDetail, ProviderErrorKind};
pub use http::ClientOptions;
pub use request::{RequestError, UpstreamRequest};
pub use shape::{estimate_prompt_tokens, EventShaper};
pub use target::{Auth, Target};
