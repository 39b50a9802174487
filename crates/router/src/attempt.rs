//! [`Attempt`]: what happened to one candidate of a request — answered, failed (why, which status,
//! how long it took) or skipped without a round trip (why).

use std::fmt;
use std::time::Duration;

use llm::FailoverReason;

/// One step of a request's way through the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// `provider/model`.
    pub model: String,
    pub outcome: AttemptOutcome,
    /// The HTTP status the upstream answered with, when it answered with an error.
    pub status: Option<u16>,
    /// Time spent on this attempt (zero for a skip).
    pub elapsed: Duration,
    /// The upstream's error text or the skip's explanation, for logs and error messages.
    pub detail: Option<String>,
}

impl Attempt {
    pub fn skipped(model: impl Into<String>, reason: SkipReason) -> Self {
        let detail = Some(reason.to_string());
        Attempt {
            model: model.into(),
            outcome: AttemptOutcome::Skipped(reason),
            status: None,
            elapsed: Duration::ZERO,
            detail,
        }
    }

    pub fn is_answered(&self) -> bool {
        self.outcome == AttemptOutcome::Answered
    }

    /// The failure reason, for a failed attempt.
    pub fn failure(&self) -> Option<FailoverReason> {
        match self.outcome {
            AttemptOutcome::Failed(r) => Some(r),
            _ => None,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptOutcome {
    /// This candidate produced the answer.
    Answered,
    /// The call failed for this reason.
    Failed(FailoverReason),
    /// Not called.
    Skipped(SkipReason),
}

/// Why a candidate was not called.
#[derive(Debug, Clone, PartialEq)]
pub enum SkipReason {
    /// The model (or its whole provider) is cooling down after a failure.
    CoolingDown { reason: FailoverReason, remaining: Duration, provider_wide: bool },
    /// Another model of the same provider failed authentication in this request.
    ProviderAuthFailed,
    /// The provider needs an API key and none is usable.
    MissingCredential,
    /// The prompt cannot fit this model's window.
    ContextTooSmall { needed: u64, available: u64 },
    /// An earlier candidate overflowed its window and this one's is not larger.
    WindowNotLarger { window: u64 },
    /// A fallback entry of the config that resolves to no known model.
    UnknownModel,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::CoolingDown { reason, remaining, provider_wide } => write!(
                f,
                "{} cooling down after {reason} for {}s more",
                if *provider_wide { "provider" } else { "model" },
                remaining.as_secs().max(1)
            ),
            SkipReason::ProviderAuthFailed => {
                f.write_str("provider failed authentication earlier in this request")
            }
            SkipReason::MissingCredential => f.write_str("no usable API key"),
            SkipReason::ContextTooSmall { needed, available } => {
                write!(f, "prompt needs about {needed} tokens, the model has room for {available}")
            }
            SkipReason::WindowNotLarger { window } => {
                write!(f, "context window not larger than the {window} tokens that overflowed")
            }
            SkipReason::UnknownModel => f.write_str("not a model of the config"),
        }
    }
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            AttemptOutcome::Answered => {
                write!(f, "{}: answered in {} ms", self.model, self.elapsed.as_millis())
            }
            AttemptOutcome::Failed(reason) => {
                write!(f, "{}: {reason}", self.model)?;
                if let Some(status) = self.status {
                    write!(f, " (HTTP {status})")?;
                }
                if let Some(detail) = &self.detail {
                    write!(f, ": {detail}")?;
                }
                write!(f, " after {} ms", self.elapsed.as_millis())
            }
            AttemptOutcome::Skipped(reason) => write!(f, "{}: skipped, {reason}", self.model),
        }
    }
}
