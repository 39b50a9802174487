//! The auth layer: every `/v1/*` request must carry the gateway token (or password) as
//! `Authorization: Bearer …` or `x-api-key: …`, compared in constant time. Wrong credentials are counted
//! per client IP and an address that fails too often gets 429 with `Retry-After` until its lockout ends.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use subtle::ConstantTimeEq;

use crate::api_error::{ApiError, ApiErrorKind};
use crate::settings::AuthSettings;
use crate::state::AppState;
use crate::Dialect;

/// axum middleware: lets the request through or answers 401 / 429 in the path's dialect.
pub async fn require_auth(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(expected) = state.settings.auth.secret() else {
        return next.run(request).await;
    };
    let dialect = Dialect::for_path(request.uri().path());
    let ip = client_ip(&request);
    if let Some(left) = state.limiter.locked_for(ip) {
        return locked_out(left).into_response_for(dialect);
    }
    let what = match state.settings.auth {
        AuthSettings::Password(_) => "password",
        _ => "token",
    };
    match presented_credential(request.headers()) {
        Some(given) if bool::from(given.as_bytes().ct_eq(expected.expose().as_bytes())) => {
            next.run(request).await
        }
        Some(_) => {
            tracing::warn!(client = %ip, "gateway request with a wrong {what}");
            state.metrics.auth_failure();
            if let Some(lockout) = state.limiter.record_failure(ip) {
                tracing::warn!(client = %ip, lockout_s = lockout.as_secs(), "client locked out after repeated failures");
                return locked_out(lockout).into_response_for(dialect);
            }
            ApiError::new(
                ApiErrorKind::Unauthorized,
                format!(
                    "the gateway {what} in the request is wrong; use the value of gateway.auth.{what} (or \
                     CLAWGATE_GATEWAY_{})",
                    what.to_uppercase()
                ),
            )
            .into_response_for(dialect)
        }
        None => ApiError::new(
            ApiErrorKind::Unauthorized,
            format!(
                "this gateway requires its {what}: send `Authorization: Bearer <{what}>` or `x-api-key: <{what}>` \
                 (the {what} is gateway.auth.{what} or CLAWGATE_GATEWAY_{})",
                what.to_uppercase()
            ),
        )
        .into_response_for(dialect),
    }
}

fn locked_out(left: std::time::Duration) -> ApiError {
    let mut error = ApiError::new(
        ApiErrorKind::AuthLockedOut,
        format!(
            "too many failed authentication attempts from this address; retry in {} s with the right credential",
            left.as_secs().max(1)
        ),
    );
    error.retry_after = Some(left);
    error
}

/// The bearer token, else the `x-api-key` value.
fn presented_credential(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, rest) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
    });
    bearer.or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim))
}

fn client_ip(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_x_api_key_and_scheme_is_case_insensitive() {
        let mut h = HeaderMap::new();
        h.insert("x-api-key", "k2".parse().unwrap());
        assert_eq!(presented_credential(&h), Some("k2"));
        h.insert(http::header::AUTHORIZATION, "bearer  k1".parse().unwrap());
        assert_eq!(presented_credential(&h), Some("k1"));
        h.insert(http::header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(presented_credential(&h), Some("k2"));
    }
}
