//! [`ProviderError`]: one failed model call, with where it happened (provider, model, URL), what
//! happened ([`ProviderErrorKind`]) and how the router should treat it ([`FailoverReason`]).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use llm::FailoverReason;

use crate::classify::TransportFailure;

/// A boxed underlying error (reqwest, io, serde), kept as the source.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ProviderErrorKind {
    /// The server answered with an error status, or with an error body in place of a stream.
    #[error("HTTP {status}: {message}")]
    Http { status: u16, message: String, code: Option<String> },
    /// The stream carried an error event (or a failure finish reason) after it had started.
    #[error("error inside the stream: {message}")]
    Stream { message: String, code: Option<String> },
    /// Nothing usable came back: the connection failed, broke, timed out or the stream stopped making sense.
    #[error("{}", failure.describe())]
    Transport {
        failure: TransportFailure,
        #[source]
        source: Option<BoxError>,
    },
    /// The provider's `api` has no transport in clawgate.
    #[error("api `{api}` is not supported by clawgate yet (supported: openai-completions, openai-responses, anthropic-messages, ollama)")]
    UnsupportedApi { api: String },
    /// The provider needs a key and none is usable.
    #[error("{detail}")]
    Credential { detail: String },
    /// The request could not be turned into this dialect.
    #[error("the request cannot be sent in this dialect: {detail}")]
    Request { detail: String },
}

/// One failed model call. Boxed so `Result<_, ProviderError>` stays small on the hot path; the
/// fields are reached through `Deref` (`error.reason`, `error.provider`).
#[derive(Debug)]
pub struct ProviderError(Box<ProviderErrorDetail>);

/// The fields of a [`ProviderError`].
#[derive(Debug)]
pub struct ProviderErrorDetail {
    pub kind: ProviderErrorKind,
    pub reason: FailoverReason,
    /// Provider id (`lmstudio`, `anthropic`).
    pub provider: String,
    /// Provider-local model id.
    pub model: String,
    /// The endpoint that was called.
    pub url: String,
    /// What the server asked us to wait before retrying, when it said.
    pub retry_after: Option<Duration>,
}

impl ProviderError {
    pub fn new(detail: ProviderErrorDetail) -> Self {
        ProviderError(Box::new(detail))
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ProviderErrorKind::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The transport failure, if the call broke below HTTP.
    pub fn transport_failure(&self) -> Option<TransportFailure> {
        match &self.kind {
            ProviderErrorKind::Transport { failure, .. } => Some(*failure),
            _ => None,
        }
    }

    /// The next step for the user, by reason.
    pub fn hint(&self) -> &'static str {
        use FailoverReason as R;
        match self.reason {
            R::Auth | R::AuthPermanent => {
                "check the provider's apiKey in openclaw.json or its API-key environment variable"
            }
            R::Billing => "the account is out of credit or over its spending limit; top it up or use another model",
            R::RateLimit => "the provider is rate limiting; wait, or add a fallback model",
            R::Overloaded => "the provider is overloaded; retry later or add a fallback model",
            R::ContextOverflow => "the prompt is larger than the model's context window; shorten it or raise the server's context length",
            R::ContentFilter => "the provider's content filter refused the request; rephrase it",
            R::ModelNotFound => "the server does not know this model id; run `clawgate models list` and check the id on the server",
            R::ModelLoading => "the server is still loading the model; wait for it, or preload it",
            R::Format => "the server rejected the request's shape; check the model's `api` and `compat` settings",
            R::Timeout => "the server did not answer in time or the connection broke; check that it is running and reachable",
            R::ServerError => "the server failed while answering (crashed, out of memory, internal error); check its log, or add a fallback model",
            R::EmptyResponse | R::NoErrorDetails => "the server failed without saying why; check its log, or add a fallback model",
            _ => "see the message above; `clawgate doctor` checks the whole setup",
        }
    }
}

impl std::ops::Deref for ProviderError {
    type Target = ProviderErrorDetail;

    fn deref(&self) -> &ProviderErrorDetail {
        &self.0
    }
}

impl std::ops::DerefMut for ProviderError {
    fn deref_mut(&mut self) -> &mut ProviderErrorDetail {
        &mut self.0
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} ({}): {} [{}]", self.provider, self.model, self.url, self.kind, self.reason)
    }
}

impl StdError for ProviderError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.kind.source()
    }
}
