//! [`LocalServerError`]: why a local server could not be made ready before a call. It fails the
//! candidate over like an upstream error, with this text as the attempt's detail.

use llm::FailoverReason;
use providers::local_service::LocalServiceError;

/// A local server that could not be started or whose model could not be loaded in time.
#[derive(Debug, thiserror::Error)]
pub enum LocalServerError {
    /// `localService` could not start the server (not a path, spawn failed, exited, not ready).
    #[error(transparent)]
    Start(#[from] LocalServiceError),
    /// The server was still starting when the request's time budget ran out.
    #[error("the local service of provider `{provider}` was still starting when the request's time budget ran out ({ms} ms); raise agents.defaults.timeoutSeconds or start the server before sending")]
    StartOutOfBudget { provider: String, ms: u128 },
    /// LM Studio was still loading the model (`params.preload`) at the first-token deadline.
    #[error("LM Studio at {base_url} was still loading `{model}` after {secs} s (clawgate preloads models, models.providers.{provider}.params.preload); the load goes on in the background. Raise models.providers.{provider}.timeoutSeconds to wait for it, or load the model in LM Studio first")]
    PreloadTimeout { provider: String, model: String, base_url: String, secs: u64 },
}

impl LocalServerError {
    /// The failover reason the attempt is recorded with.
    pub fn reason(&self) -> FailoverReason {
        match self {
            LocalServerError::Start(LocalServiceError::ReadyTimeout { .. })
            | LocalServerError::StartOutOfBudget { .. } => FailoverReason::Timeout,
            LocalServerError::Start(_) => FailoverReason::ServerError,
            LocalServerError::PreloadTimeout { .. } => FailoverReason::ModelLoading,
        }
    }

    /// Whether the whole server is out (the provider cools down, not only the model).
    pub fn server_down(&self) -> bool {
        !matches!(self, LocalServerError::PreloadTimeout { .. })
    }
}
