//! `ApiError`: the one place where a failed request becomes an HTTP answer in the client's dialect —
//! status, error body (`{"error":{"message","type","code","param"}}` for OpenAI,
//! `{"type":"error","error":{"type","message"}}` for Anthropic), `Retry-After` and the attempts header.
//! Mid-stream error events use the same names through [`ApiError::openai_kind`] and friends.

use std::time::Duration;

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use llm::FailoverReason;
use wire::anthropic::AnthropicErrorBody;

use crate::backend::{AttemptSummary, BackendError};
use crate::headers::attempts_header;
use crate::Dialect;

/// What kind of failure a request met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The request is malformed or out of range (400).
    InvalidRequest,
    /// The body is over the limit (413).
    BodyTooLarge,
    /// No or wrong credential (401).
    Unauthorized,
    /// Too many failed credentials from this address (429).
    AuthLockedOut,
    /// No such route or model (404).
    NotFound,
    /// The backend failed for this reason.
    Backend(FailoverReason),
    /// The gateway is shutting down (503).
    ShuttingDown,
}

/// A failed request, ready to be answered in any dialect.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub kind: ApiErrorKind,
    pub message: String,
    /// The request field at fault, when there is one (`temperature`, `messages[2].content`).
    pub param: Option<String>,
    pub retry_after: Option<Duration>,
    pub attempts: Vec<AttemptSummary>,
}

impl ApiError {
    pub fn new(kind: ApiErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), param: None, retry_after: None, attempts: Vec::new() }
    }

    /// A 400 naming the field at fault.
    pub fn invalid(param: impl Into<String>, message: impl Into<String>) -> Self {
        Self { param: Some(param.into()), ..Self::new(ApiErrorKind::InvalidRequest, message) }
    }

    pub fn status(&self) -> StatusCode {
        let code = match self.kind {
            ApiErrorKind::InvalidRequest => 400,
            ApiErrorKind::BodyTooLarge => 413,
            ApiErrorKind::Unauthorized => 401,
            ApiErrorKind::AuthLockedOut => 429,
            ApiErrorKind::NotFound => 404,
            ApiErrorKind::ShuttingDown => 503,
            // 408 would tell the client it was too slow; the upstream was.
            ApiErrorKind::Backend(FailoverReason::Timeout) => 504,
            ApiErrorKind::Backend(reason) => reason.status(),
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY)
    }

    /// OpenAI's error `type`.
    pub fn openai_kind(&self) -> &'static str {
        match self.status().as_u16() {
            400 | 404 | 410 | 413 => "invalid_request_error",
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            429 => "rate_limit_error",
            _ => "server_error",
        }
    }

    /// OpenAI's error `code`.
    pub fn openai_code(&self) -> &'static str {
        match self.kind {
            ApiErrorKind::InvalidRequest => "invalid_request",
            ApiErrorKind::BodyTooLarge => "request_too_large",
            ApiErrorKind::Unauthorized => "invalid_api_key",
            ApiErrorKind::AuthLockedOut => "rate_limit_exceeded",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::ShuttingDown => "shutting_down",
            ApiErrorKind::Backend(FailoverReason::ContextOverflow) => "context_length_exceeded",
            ApiErrorKind::Backend(FailoverReason::RateLimit) => "rate_limit_exceeded",
            ApiErrorKind::Backend(reason) => reason.as_str(),
        }
    }

    /// Anthropic's error `type`.
    pub fn anthropic_kind(&self) -> &'static str {
        match self.status().as_u16() {
            400 | 410 => "invalid_request_error",
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            503 | 529 => "overloaded_error",
            408 | 504 => "timeout_error",
            _ => "api_error",
        }
    }

    /// OpenAI's error body; `param` is always written (`null` when no field is at fault), as OpenAI does.
    pub fn openai_body(&self) -> OpenAiErrorOut<'_> {
        OpenAiErrorOut {
            error: OpenAiErrorFields {
                message: &self.message,
                kind: self.openai_kind(),
                code: self.openai_code(),
                param: self.param.as_deref(),
            },
        }
    }

    pub fn anthropic_body(&self) -> AnthropicErrorBody {
        AnthropicErrorBody::new(self.anthropic_kind(), self.message.clone())
    }

    /// The whole HTTP answer in `dialect`'s shape.
    pub fn into_response_for(self, dialect: Dialect) -> Response {
        let body = if dialect.is_anthropic() {
            serde_json::to_vec(&self.anthropic_body())
        } else {
            serde_json::to_vec(&self.openai_body())
        }
        .unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(after) = self.retry_after {
            let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if !self.attempts.is_empty() {
            if let Ok(value) = HeaderValue::from_str(&attempts_header(&self.attempts)) {
                headers.insert(crate::headers::ATTEMPTS, value);
            }
        }
        response
    }
}

impl From<BackendError> for ApiError {
    fn from(error: BackendError) -> Self {
        ApiError {
            kind: ApiErrorKind::Backend(error.reason),
            message: error.message,
            param: None,
            retry_after: error.retry_after,
            attempts: error.attempts,
        }
    }
}

/// `{"error":{"message","type","code","param"}}` as written to clients.
#[derive(Debug, serde::Serialize)]
pub struct OpenAiErrorOut<'a> {
    pub error: OpenAiErrorFields<'a>,
}

/// The `error` object of [`OpenAiErrorOut`].
#[derive(Debug, serde::Serialize)]
pub struct OpenAiErrorFields<'a> {
    pub message: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub code: &'static str,
    pub param: Option<&'a str>,
}

/// An error bound to the dialect it is answered in (what handlers return).
#[derive(Debug)]
pub struct DialectError(pub Dialect, pub ApiError);

impl IntoResponse for DialectError {
    fn into_response(self) -> Response {
        self.1.into_response_for(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_reasons_map_to_statuses_and_names() {
        let cases = [
            (FailoverReason::RateLimit, 429, "rate_limit_error", "rate_limit_error"),
            (FailoverReason::ContextOverflow, 400, "invalid_request_error", "invalid_request_error"),
            (FailoverReason::Auth, 401, "authentication_error", "authentication_error"),
            (FailoverReason::Overloaded, 503, "server_error", "overloaded_error"),
            (FailoverReason::Timeout, 504, "server_error", "timeout_error"),
            (FailoverReason::ModelNotFound, 404, "invalid_request_error", "not_found_error"),
            (FailoverReason::Unknown, 502, "server_error", "api_error"),
        ];
        for (reason, status, openai, anthropic) in cases {
            let e = ApiError::from(BackendError::new(reason, "x"));
            assert_eq!(e.status().as_u16(), status, "{reason}");
            assert_eq!(e.openai_kind(), openai, "{reason}");
            assert_eq!(e.anthropic_kind(), anthropic, "{reason}");
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let mut e = ApiError::from(BackendError::new(FailoverReason::RateLimit, "slow down"));
        e.retry_after = Some(Duration::from_millis(1500));
        let response = e.into_response_for(Dialect::Chat);
        assert_eq!(response.headers()[http::header::RETRY_AFTER], "2");
    }
}
