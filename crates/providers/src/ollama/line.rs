//! One object of an `/api/chat` answer as it is read back: a stream line, or the whole non-streaming
//! body. Deliberately more tolerant than [`wire::ollama::ChatResponse`], because Ollama versions and
//! the proxies in front of them differ:
//!
//! - reasoning arrives in `message.thinking` (Ollama 0.9+); some builds and proxies name it
//!   `message.reasoning`;
//! - tool calls carry an `id` on recent versions and none on older ones, and their `arguments` are an
//!   object (a proxy may re-encode them as a JSON string);
//! - an error line is `{"error":"…"}`, and a proxy may send `{"error":{"message":…}}`;
//! - counts are Go `omitempty` integers: an absent count means zero.

use serde::Deserialize;
use serde_json::Value;

/// One stream line or a whole non-streaming body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChatLine {
    #[serde(default)]
    pub message: Option<LineMessage>,
    #[serde(default)]
    pub done: bool,
    /// `stop`, `length`, `load`, `unload`.
    #[serde(default)]
    pub done_reason: Option<String>,
    /// Prompt tokens evaluated.
    #[serde(default)]
    pub prompt_eval_count: Option<u64>,
    /// Tokens generated.
    #[serde(default)]
    pub eval_count: Option<u64>,
    /// Set on an error line; any shape (a string from Ollama, an object from some proxies).
    #[serde(default)]
    pub error: Option<Value>,
}

/// `message` of a line.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LineMessage {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub thinking: Option<String>,
    /// The same as `thinking`, under the name some builds and proxies use.
    #[serde(default)]
    pub reasoning: Option<String>,
    #[serde(default)]
    pub tool_calls: Option<Vec<LineToolCall>>,
}

/// A tool call, always whole: Ollama never streams a call in fragments.
#[derive(Debug, Deserialize)]
pub(crate) struct LineToolCall {
    /// `call_…` on recent Ollama versions, absent on older ones.
    #[serde(default)]
    pub id: Option<String>,
    pub function: LineFunction,
}

/// The function of a [`LineToolCall`].
#[derive(Debug, Deserialize)]
pub(crate) struct LineFunction {
    pub name: String,
    /// A JSON object; a JSON text when a proxy re-encoded it.
    #[serde(default)]
    pub arguments: Value,
}

impl LineFunction {
    /// The arguments as JSON text, passed through as the server produced them (an object is
    /// serialised with its key order kept; a string is taken as already being JSON text).
    pub fn arguments_json(&self) -> String {
        match &self.arguments {
            Value::Null => "{}".to_owned(),
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

impl ChatLine {
    /// Whether this is an error line (`"error"` present and not null).
    pub fn is_error(&self) -> bool {
        self.error.as_ref().is_some_and(|e| !e.is_null())
    }
}
