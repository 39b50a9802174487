//! What the gateway serves requests from: a [`Backend`] takes a model request and gives back a stream of
//! [`llm::StreamEvent`]s plus the record of which candidates were tried. The router implements it in
//! production (through an adapter the CLI wires); tests use a scripted fake.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::BoxStream;

/// The source of answers behind the gateway.
pub trait Backend: Send + Sync + 'static {
    /// Starts one model call. Resolves once a candidate has accepted the request (headers can be sent);
    /// the events then arrive on [`BackendStream::events`]. Dropping the stream cancels the call.
    fn stream(&self, request: BackendRequest) -> BoxFuture<'static, Result<BackendStream, BackendError>>;

    /// The models `GET /v1/models` lists: every `provider/model` and every alias.
    fn models(&self) -> Vec<ModelInfo>;

    /// Models (or whole providers) that are cooling down now, for `/metrics`.
    fn cooldowns(&self) -> Vec<CooldownInfo> {
        Vec::new()
    }
}

/// One active cooldown.
#[derive(Debug, Clone, PartialEq)]
pub struct CooldownInfo {
    /// `provider/model`, or `provider/*` for a provider-wide cooldown.
    pub target: String,
    /// The failover reason that started it.
    pub reason: String,
    pub remaining: Duration,
    /// Consecutive failures counted in the window.
    pub failures: u32,
}

/// One request as the gateway hands it to the backend.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendRequest {
    /// The model ref or alias exactly as the client wrote it.
    pub model: String,
    /// The client's dialect (`chat`, `responses`, `messages`), for the usage ledger.
    pub dialect: &'static str,
    pub request: llm::ModelRequest,
}

/// An accepted call: who answers, what was tried before, and the answer's events.
pub struct BackendStream {
    /// The `provider/model` that answers: the response `model` and the `x-clawgate-model` header.
    pub answered_by: String,
    /// Every attempt so far, in order, the answering one last (`reason` = `"ok"`).
    pub attempts: Vec<AttemptSummary>,
    /// The answering model's price, for the cost metric; `None` when unknown or free.
    pub price: Option<llm::Price>,
    /// The answer. On success it ends with `Usage` (when known) and exactly one `Stop`; a failure after
    /// output started is one `Err` and then the end. A stream that ends without `Stop` did not finish.
    pub events: BoxStream<'static, Result<llm::StreamEvent, BackendError>>,
}

impl fmt::Debug for BackendStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackendStream")
            .field("answered_by", &self.answered_by)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// One candidate the backend tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptSummary {
    /// `provider/model`.
    pub model: String,
    /// The failover reason (`rate_limit`, `timeout` ...) or `"ok"` for the attempt that answered.
    pub outcome: String,
    pub elapsed: Duration,
}

impl AttemptSummary {
    pub fn ok(model: impl Into<String>, elapsed: Duration) -> Self {
        Self { model: model.into(), outcome: "ok".into(), elapsed }
    }

    pub fn failed(model: impl Into<String>, reason: llm::FailoverReason, elapsed: Duration) -> Self {
        Self { model: model.into(), outcome: reason.as_str().into(), elapsed }
    }
}

/// Why the backend could not answer (before or during the stream).
#[derive(Debug, Clone, PartialEq)]
pub struct BackendError {
    pub reason: llm::FailoverReason,
    /// Says what failed and where (provider, URL); never a secret.
    pub message: String,
    pub attempts: Vec<AttemptSummary>,
    /// How long the client should wait before retrying (rate limits, overload).
    pub retry_after: Option<Duration>,
}

impl BackendError {
    pub fn new(reason: llm::FailoverReason, message: impl Into<String>) -> Self {
        Self { reason, message: message.into(), attempts: Vec::new(), retry_after: None }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.reason)
    }
}

impl std::error::Error for BackendError {}

/// One entry of the model listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// `provider/model`, or an alias.
    pub id: String,
    /// The provider id.
    pub owned_by: String,
    /// For an alias: the `provider/model` it stands for.
    pub alias_for: Option<String>,
    /// The context window in tokens, when known.
    pub context_window: Option<u64>,
}
