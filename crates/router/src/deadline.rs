//! Deadlines of one attempt: response headers, first token, idle gap between events, and the
//! request's total budget (the connect deadline is the HTTP client's: short for local hosts).
//!
//! From the provider's `timeoutSeconds` (which OpenClaw applies to connect, headers, streaming and
//! the idle watchdog), else 300 s for self-hosted servers and 120 s for hosted APIs.

use std::time::Duration;

use llm::FailoverReason;
use providers::classify::TransportFailure;
use providers::{ProviderError, ProviderErrorDetail, ProviderErrorKind, Target};
use tokio::time::Instant;

use crate::options::RouterOptions;

/// The deadlines of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub headers: Duration,
    pub first_token: Duration,
    pub idle: Duration,
}

impl Deadlines {
    pub fn for_target(target: &Target, options: &RouterOptions) -> Self {
        let base = target.timeout.unwrap_or(if target.local {
            options.local_timeout
        } else {
            options.hosted_timeout
        });
        Deadlines { headers: base, first_token: base, idle: base }
    }
}

/// The end of a request's budget.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub end: Instant,
}

impl Budget {
    pub fn starting_now(total: Duration) -> Self {
        Budget { end: Instant::now() + total }
    }

    pub fn remaining(&self) -> Duration {
        self.end.saturating_duration_since(Instant::now())
    }

    /// Whether `wait` still leaves time to do something after it.
    pub fn fits(&self, wait: Duration) -> bool {
        wait < self.remaining()
    }
}

/// The error of a deadline that passed: a transport failure of kind `failure` on `target`.
pub fn deadline_error(target: &Target, url: &str, failure: TransportFailure) -> ProviderError {
    ProviderError::new(ProviderErrorDetail {
        kind: ProviderErrorKind::Transport { failure, source: None },
        reason: FailoverReason::Timeout,
        provider: target.model.provider.clone(),
        model: target.model.id.clone(),
        url: url.to_owned(),
        retry_after: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;

    #[test]
    fn timeout_seconds_wins_else_local_and_hosted_defaults() {
        let options = RouterOptions::default();
        let local = Target::new(ResolvedModel::new(
            "lmstudio",
            "q",
            Api::OpenaiCompletions,
            "http://127.0.0.1:1234/v1",
        ));
        assert_eq!(Deadlines::for_target(&local, &options).idle, Duration::from_secs(300));
        let hosted = Target::new(ResolvedModel::new(
            "openai",
            "g",
            Api::OpenaiCompletions,
            "https://api.openai.com/v1",
        ));
        assert_eq!(Deadlines::for_target(&hosted, &options).first_token, Duration::from_secs(120));
        let mut tuned = hosted.clone();
        tuned.timeout = Some(Duration::from_secs(7));
        assert_eq!(Deadlines::for_target(&tuned, &options).headers, Duration::from_secs(7));
    }
}
