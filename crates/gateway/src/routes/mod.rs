//! The route table: ingress endpoints and `/metrics` behind the auth layer, health probes outside it,
//! and a 404 in the path's dialect for anything else.

mod answer;
mod models;
mod ops;

use std::sync::Arc;

use axum::extract::Request;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::api_error::{ApiError, ApiErrorKind};
use crate::auth::require_auth;
use crate::state::AppState;
use crate::Dialect;

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    let protected = Router::new()
        .route("/v1/chat/completions", post(answer::chat))
        .route("/v1/responses", post(answer::responses))
        .route("/v1/messages", post(answer::messages))
        .route("/v1/messages/count_tokens", post(answer::count_tokens))
        .route("/v1/models", get(models::list))
        .route("/v1/models/{*id}", get(models::one))
        .route("/metrics", get(ops::metrics))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), require_auth));
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .merge(protected)
        .fallback(not_found)
        .with_state(state)
}

async fn not_found(request: Request) -> Response {
    let path = request.uri().path().to_string();
    ApiError::new(
        ApiErrorKind::NotFound,
        format!(
            "{} {path} is not an endpoint of this gateway; it serves POST /v1/chat/completions, /v1/responses, \
             /v1/messages and GET /v1/models",
            request.method()
        ),
    )
    .into_response_for(Dialect::for_path(&path))
}
