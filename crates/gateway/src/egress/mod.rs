//! [`llm::StreamEvent`]s → the client's dialect: one module per dialect with a streaming encoder (SSE
//! frames, written as events arrive) and the builder of the whole non-streamed response. Reasoning goes
//! only to the dialect's reasoning field, tool calls to its tool-call shape; the completion marker is
//! written only after a real `Stop`, a failure writes the dialect's error event instead.

pub mod body;
pub mod chat;
pub mod messages;
pub mod responses;

use std::sync::Arc;

use bytes::BytesMut;
use llm::{AssembledResponse, StreamEvent};

use crate::api_error::ApiError;
use crate::ids::IdSource;
use crate::Dialect;

/// What every encoder needs to know about the answer.
#[derive(Clone)]
pub struct AnswerContext {
    /// `chatcmpl-…`, `resp_…` or `msg_…`.
    pub id: String,
    pub created: u64,
    /// The model that answered (`answered_by`).
    pub model: String,
    pub ids: Arc<dyn IdSource>,
}

impl AnswerContext {
    pub fn new(dialect: Dialect, model: String, ids: Arc<dyn IdSource>) -> Self {
        let prefix = match dialect {
            Dialect::Chat => "chatcmpl-",
            Dialect::Responses => "resp_",
            Dialect::Messages => "msg_",
        };
        Self { id: ids.id(prefix), created: ids.now_unix(), model, ids }
    }
}

/// Writes one answer as SSE frames in one dialect.
pub trait StreamEncoder: Send + 'static {
    /// The frames that open the stream (sent with the headers).
    fn start(&mut self, out: &mut BytesMut);
    /// One event. After `Stop` the encoder writes the completion and is [`done`](Self::is_done).
    fn event(&mut self, event: &StreamEvent, out: &mut BytesMut);
    /// The stream failed: the dialect's error event, and no completion marker.
    fn fail(&mut self, error: &ApiError, out: &mut BytesMut);
    /// Whether the completion was written.
    fn is_done(&self) -> bool;
}

/// The encoder for `dialect`.
pub fn encoder(dialect: Dialect, ctx: AnswerContext, include_usage: bool) -> Box<dyn StreamEncoder> {
    match dialect {
        Dialect::Chat => Box::new(chat::ChatEncoder::new(ctx, include_usage)),
        Dialect::Responses => Box::new(responses::ResponsesEncoder::new(ctx)),
        Dialect::Messages => Box::new(messages::MessagesEncoder::new(ctx)),
    }
}

/// The whole non-streamed response body for `dialect`.
pub fn complete(dialect: Dialect, ctx: &AnswerContext, answer: &AssembledResponse) -> Vec<u8> {
    let result = match dialect {
        Dialect::Chat => serde_json::to_vec(&chat::complete(ctx, answer)),
        Dialect::Responses => serde_json::to_vec(&responses::complete(ctx, answer)),
        Dialect::Messages => serde_json::to_vec(&messages::complete(ctx, answer)),
    };
    result.unwrap_or_default()
}

/// Appends a JSON SSE event; the wire types always serialise, so a failure is only logged.
pub(crate) fn write_event<T: serde::Serialize + ?Sized>(out: &mut BytesMut, event: Option<&str>, value: &T) {
    if let Err(error) = wire::sse::encode_json_event(out, event, value) {
        tracing::error!(%error, "could not encode an SSE event");
    }
}

/// A thinking "signature" that is only the name of the Chat Completions field the reasoning came in
/// (`reasoning_content` / `reasoning`, kept so it can be replayed to that upstream). It is not a
/// signature or encrypted content any client could send back, so it is never written to a client.
pub(crate) fn is_field_name_marker(signature: &str) -> bool {
    matches!(signature, "reasoning_content" | "reasoning")
}

/// The signature to show a client, if it is a real one.
pub(crate) fn client_signature(signature: Option<&String>) -> Option<String> {
    signature.filter(|s| !is_field_name_marker(s)).cloned()
}
