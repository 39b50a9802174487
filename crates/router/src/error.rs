//! [`RouteError`]: a request the router could not answer — which models it tried, why each failed or
//! was skipped, whether output had already reached the caller, and when trying again makes sense.

use std::fmt::Write as _;
use std::time::Duration;

use llm::FailoverReason;
use providers::ProviderError;

use crate::attempt::{Attempt, AttemptOutcome};

/// What kind of failure a [`RouteError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteErrorKind {
    /// No model in the request and no configured primary.
    NoModel,
    /// The requested model is not known to the config.
    UnknownModel { requested: String, suggestions: Vec<String> },
    /// Every candidate failed or was skipped.
    Exhausted,
    /// The upstream's answer is the error itself (content filter, refusal, a prompt too long for
    /// every window): not failed over, given back with its reason.
    Answer,
    /// The answering model failed after output had reached the caller; the output is incomplete.
    MidStream,
}

/// A request that could not be answered. Boxed so results stay small; the fields are reached through
/// `Deref` (`error.reason`, `error.attempts`).
#[derive(Debug)]
pub struct RouteError(Box<RouteErrorDetail>);

/// The fields of a [`RouteError`].
#[derive(Debug)]
pub struct RouteErrorDetail {
    pub kind: RouteErrorKind,
    pub reason: FailoverReason,
    /// Every candidate considered, in order.
    pub attempts: Vec<Attempt>,
    /// Output (text or a tool call) had already been given to the caller.
    pub output_started: bool,
    /// When a retry of the whole request can succeed (the soonest cooldown end, or the upstream's
    /// `Retry-After`).
    pub retry_after: Option<Duration>,
    pub message: String,
    /// The last upstream error.
    pub source: Option<ProviderError>,
}

impl std::ops::Deref for RouteError {
    type Target = RouteErrorDetail;

    fn deref(&self) -> &RouteErrorDetail {
        &self.0
    }
}

impl std::fmt::Display for RouteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for RouteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl RouteError {
    fn new(kind: RouteErrorKind, reason: FailoverReason, message: String) -> Self {
        RouteError::from(detail(kind, reason, message))
    }

    pub(crate) fn no_model() -> Self {
        RouteError::new(
            RouteErrorKind::NoModel,
            FailoverReason::ModelNotFound,
            "no model was requested and openclaw.json sets no primary model: pass a model (provider/model or an \
             alias) or set agents.defaults.model.primary"
                .to_owned(),
        )
    }

    pub(crate) fn unknown_model(requested: &str, suggestions: Vec<String>) -> Self {
        let mut message =
            format!("unknown model {requested:?}: no configured provider, model or alias matches it");
        if !suggestions.is_empty() {
            let _ = write!(message, ". Did you mean {}?", suggestions.join(", "));
        }
        message.push_str(" Run `clawgate models list` to see the models of the config");
        let kind = RouteErrorKind::UnknownModel { requested: requested.to_owned(), suggestions };
        RouteError::new(kind, FailoverReason::ModelNotFound, message)
    }

    /// Every candidate failed or was skipped.
    pub(crate) fn exhausted(
        attempts: Vec<Attempt>,
        source: Option<ProviderError>,
        retry_after: Option<Duration>,
    ) -> Self {
        let reason = overall_reason(&attempts, source.as_ref());
        let mut models: Vec<&str> = attempts.iter().map(|a| a.model.as_str()).collect();
        models.dedup();
        models.sort_unstable();
        models.dedup();
        let tried = models.len();
        let calls = attempts.iter().filter(|a| matches!(a.outcome, AttemptOutcome::Failed(_))).count();
        let mut message = match tried {
            0 => "no model could answer".to_owned(),
            1 => format!("{} could not answer", models[0]),
            n => format!("all {n} models of the fallback chain could not answer"),
        };
        if calls > tried {
            let _ = write!(message, " after {calls} calls");
        }
        let _ = write!(message, " ({reason}): {}", list(&attempts));
        if let Some(wait) = retry_after {
            let _ = write!(message, ". Retry in {}s", wait.as_secs().max(1));
        }
        let _ = write!(message, ". Next step: {}", hint(reason, source.as_ref()));
        RouteError::from(RouteErrorDetail {
            attempts,
            retry_after,
            source,
            ..detail(RouteErrorKind::Exhausted, reason, message)
        })
    }

    /// The upstream's answer is the error (content filter, refusal, context overflow).
    pub(crate) fn answer(attempts: Vec<Attempt>, source: ProviderError) -> Self {
        let reason = source.reason;
        let message = format!(
            "{}/{} answered with {reason} (not retried on another model): {}. Next step: {}",
            source.provider,
            source.model,
            source.kind,
            hint(reason, Some(&source))
        );
        RouteError::from(RouteErrorDetail {
            attempts,
            source: Some(source),
            ..detail(RouteErrorKind::Answer, reason, message)
        })
    }

    /// Every candidate was skipped because the prompt fits none of their windows.
    pub(crate) fn context_fits_nowhere(attempts: Vec<Attempt>) -> Self {
        let message = format!(
            "the prompt does not fit the context window of any model in the chain: {}. Next step: shorten the \
             conversation (compact it), or add a fallback with a larger contextWindow",
            list(&attempts)
        );
        RouteError::from(RouteErrorDetail {
            attempts,
            ..detail(RouteErrorKind::Answer, FailoverReason::ContextOverflow, message)
        })
    }

    /// The answering model failed after output had started.
    pub(crate) fn mid_stream(attempts: Vec<Attempt>, source: ProviderError) -> Self {
        let reason = source.reason;
        let message = format!(
            "{}/{} failed after the answer had started ({reason}): {}. The answer is incomplete; retry the \
             request (it was not switched to another model so nothing is said twice)",
            source.provider, source.model, source.kind
        );
        RouteError::from(RouteErrorDetail {
            attempts,
            output_started: true,
            source: Some(source),
            ..detail(RouteErrorKind::MidStream, reason, message)
        })
    }
}

/// The attempts in order; consecutive identical failures (retries) shown once with
/// their count.
impl From<RouteErrorDetail> for RouteError {
    fn from(detail: RouteErrorDetail) -> Self {
        RouteError(Box::new(detail))
    }
}

fn detail(kind: RouteErrorKind, reason: FailoverReason, message: String) -> RouteErrorDetail {
    RouteErrorDetail {
        kind,
        reason,
        attempts: Vec::new(),
        output_started: false,
        retry_after: None,
        message,
        source: None,
    }
}

fn list(attempts: &[Attempt]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for (i, attempt) in attempts.iter().enumerate() {
        let same_as_previous = i > 0 && {
            let p = &attempts[i - 1];
            p.model == attempt.model
                && p.outcome == attempt.outcome
                && p.status == attempt.status
                && p.detail == attempt.detail
        };
        match parts.last_mut() {
            Some((_, count)) if same_as_previous => *count += 1,
            _ => parts.push((attempt.to_string(), 1)),
        }
    }
    parts
        .into_iter()
        .map(|(text, n)| if n > 1 { format!("{text} (×{n})") } else { text })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The reason of the whole failure: the one every failed attempt shares, else the last failure's,
/// else (all skipped) the first skip's cooldown reason.
fn overall_reason(attempts: &[Attempt], source: Option<&ProviderError>) -> FailoverReason {
    let failures: Vec<FailoverReason> = attempts.iter().filter_map(Attempt::failure).collect();
    if let Some(first) = failures.first() {
        if failures.iter().all(|r| r == first) {
            return *first;
        }
    }
    if let Some(last) = failures.last().copied().or(source.map(|s| s.reason)) {
        return last;
    }
    attempts
        .iter()
        .find_map(|a| match &a.outcome {
            AttemptOutcome::Skipped(crate::attempt::SkipReason::CoolingDown { reason, .. }) => Some(*reason),
            AttemptOutcome::Skipped(crate::attempt::SkipReason::MissingCredential) => {
                Some(FailoverReason::Auth)
            }
            _ => None,
        })
        .unwrap_or(FailoverReason::Unknown)
}

fn hint(reason: FailoverReason, source: Option<&ProviderError>) -> &'static str {
    match source {
        Some(error) if error.reason == reason => error.hint(),
        _ => match reason {
            FailoverReason::Auth | FailoverReason::AuthPermanent => {
                "set the provider's API key (apiKey in openclaw.json or its environment variable)"
            }
            FailoverReason::ContextOverflow => "shorten the conversation or use a model with a larger window",
            _ => "wait for the cooldown to end, check the servers with `clawgate doctor`, or add a fallback model",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attempt::SkipReason;

    fn failed(model: &str, reason: FailoverReason) -> Attempt {
        Attempt {
            model: model.into(),
            outcome: AttemptOutcome::Failed(reason),
            status: Some(503),
            elapsed: Duration::from_millis(12),
            detail: Some("Service Unavailable".into()),
        }
    }

    #[test]
    fn exhausted_lists_every_attempt_and_the_next_step() {
        let attempts = vec![
            failed("lmstudio/qwen", FailoverReason::Timeout),
            Attempt::skipped(
                "anthropic/claude",
                SkipReason::CoolingDown {
                    reason: FailoverReason::RateLimit,
                    remaining: Duration::from_secs(20),
                    provider_wide: false,
                },
            ),
        ];
        let e = RouteError::exhausted(attempts, None, Some(Duration::from_secs(20)));
        assert_eq!(e.reason, FailoverReason::Timeout);
        let text = e.to_string();
        assert!(text.starts_with("all 2 models of the fallback chain could not answer (timeout): lmstudio/qwen: timeout (HTTP 503)"), "{text}");
        assert!(
            text.contains("anthropic/claude: skipped, model cooling down after rate_limit for 20s more"),
            "{text}"
        );
        assert!(text.contains("Retry in 20s"), "{text}");
        assert!(text.contains("Next step:"), "{text}");
    }

    #[test]
    fn unknown_model_suggests_close_names() {
        let e = RouteError::unknown_model("lmstudio/qwen3", vec!["lmstudio/qwen/qwen3-8b".into()]);
        assert!(e.to_string().contains("Did you mean lmstudio/qwen/qwen3-8b?"));
        assert_eq!(e.reason, FailoverReason::ModelNotFound);
    }
}
