//! The "what answered" headers: `x-clawgate-model` and `x-clawgate-attempts`
//! (`provider/model:reason:ms`, comma-separated, in order).

use std::fmt::Write;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::backend::AttemptSummary;

pub const MODEL: HeaderName = HeaderName::from_static("x-clawgate-model");
pub const ATTEMPTS: HeaderName = HeaderName::from_static("x-clawgate-attempts");

/// `provider/model:reason:ms,…`.
pub fn attempts_header(attempts: &[AttemptSummary]) -> String {
    let mut out = String::with_capacity(attempts.len() * 32);
    for (i, attempt) in attempts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}:{}:{}", attempt.model, attempt.outcome, attempt.elapsed.as_millis());
    }
    out
}

/// Adds both headers (values that cannot be header text are left out).
pub fn insert_answered_by(headers: &mut HeaderMap, answered_by: &str, attempts: &[AttemptSummary]) {
    if let Ok(value) = HeaderValue::from_str(answered_by) {
        headers.insert(MODEL, value);
    }
    if !attempts.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&attempts_header(attempts)) {
            headers.insert(ATTEMPTS, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn attempts_are_listed_in_order() {
        let attempts = [
            AttemptSummary::failed(
                "lmstudio/qwen3",
                llm::FailoverReason::Timeout,
                Duration::from_millis(1200),
            ),
            AttemptSummary::ok("anthropic/claude-sonnet-4-5", Duration::from_millis(85)),
        ];
        assert_eq!(
            attempts_header(&attempts),
            "lmstudio/qwen3:timeout:1200,anthropic/claude-sonnet-4-5:ok:85"
        );
    }
}
