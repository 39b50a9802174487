//! Operations endpoints: `/healthz` (the process answers), `/readyz` (accepting work; 503 while
//! draining for shutdown), `/metrics` (Prometheus text).

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use crate::state::AppState;

pub async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.lifecycle.draining.is_cancelled() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining\n").into_response()
    } else {
        (StatusCode::OK, "ready\n").into_response()
    }
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let mut response = (StatusCode::OK, state.metrics.render()).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
