//! `GET /v1/models` and `GET /v1/models/{id}` (ids contain `/`, so the route takes the rest of the
//! path): the backend's `provider/model` refs and aliases, OpenAI-style.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};
use wire::models::{ModelCard, ModelList};

use crate::api_error::{ApiError, ApiErrorKind};
use crate::backend::ModelInfo;
use crate::state::AppState;
use crate::Dialect;

pub async fn list(State(state): State<Arc<AppState>>) -> Response {
    let now = state.settings.ids.now_unix();
    let list = ModelList {
        object: "list".into(),
        data: state.backend.models().iter().map(|m| card(m, now)).collect(),
    };
    json(serde_json::to_vec(&list).unwrap_or_default())
}

pub async fn one(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let id = id.trim_start_matches('/');
    match state.backend.models().iter().find(|m| m.id == id) {
        Some(model) => {
            json(serde_json::to_vec(&card(model, state.settings.ids.now_unix())).unwrap_or_default())
        }
        None => ApiError::new(
            ApiErrorKind::NotFound,
            format!("model {id:?} is not configured here; GET /v1/models lists the models and aliases"),
        )
        .into_response_for(Dialect::Chat),
    }
}

fn card(model: &ModelInfo, now: u64) -> ModelCard {
    let mut card = ModelCard::new(model.id.clone(), now, model.owned_by.clone());
    card.root.clone_from(&model.alias_for);
    card.max_model_len = model.context_window;
    card
}

fn json(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
