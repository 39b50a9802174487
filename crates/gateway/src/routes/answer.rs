//! The handlers of the three ingress endpoints, and the one path they share: read the body (bounded),
//! parse it in the dialect, hand it to the backend, and answer — streamed through [`SseBody`] or
//! collected into the whole response — with the "what answered" headers.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderValue, StatusCode};
use llm::{FailoverReason, MessageAssembler, StreamEvent};
use tokio::time::Instant;

use crate::api_error::{ApiError, ApiErrorKind};
use crate::backend::{BackendRequest, BackendStream};
use crate::egress::body::SseBody;
use crate::egress::{self, AnswerContext};
use crate::headers::insert_answered_by;
use crate::ingress::{self, parse_json, ParsedRequest};
use crate::record::RequestRecord;
use crate::settings::RequestLimits;
use crate::state::AppState;
use crate::Dialect;

pub async fn chat(State(state): State<Arc<AppState>>, request: Request) -> Response {
    answer(state, Dialect::Chat, request, |body, limits| ingress::chat::parse(parse_json(body)?, limits))
        .await
}

pub async fn responses(State(state): State<Arc<AppState>>, request: Request) -> Response {
    answer(state, Dialect::Responses, request, |body, limits| {
        ingress::responses::parse(parse_json(body)?, limits)
    })
    .await
}

pub async fn messages(State(state): State<Arc<AppState>>, request: Request) -> Response {
    answer(state, Dialect::Messages, request, |body, limits| {
        ingress::messages::parse(parse_json(body)?, limits)
    })
    .await
}

/// `POST /v1/messages/count_tokens`: an estimate (no tokenizer for the model behind the gateway).
pub async fn count_tokens(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let dialect = Dialect::Messages;
    let mut record = RequestRecord::new(state.clone(), dialect, Instant::now());
    let result = async {
        check_enabled(&state, dialect)?;
        let body = read_body(request, state.settings.limits.body_limit(dialect)).await?;
        ingress::messages::count_tokens(parse_json(&body)?, &state.settings.limits)
    }
    .await;
    match result {
        Ok(tokens) => {
            record.status = 200;
            record.outcome = "completed";
            let body = wire::anthropic::CountTokensResponse { input_tokens: tokens };
            json_response(serde_json::to_vec(&body).unwrap_or_default())
        }
        Err(error) => failed(&mut record, error),
    }
}

async fn answer(
    state: Arc<AppState>,
    dialect: Dialect,
    request: Request,
    parse: impl FnOnce(&Bytes, &RequestLimits) -> Result<ParsedRequest, ApiError>,
) -> Response {
    let mut record = RequestRecord::new(state.clone(), dialect, Instant::now());
    if let Err(error) = check_enabled(&state, dialect) {
        return failed(&mut record, error);
    }
    let body = match read_body(request, state.settings.limits.body_limit(dialect)).await {
        Ok(body) => body,
        Err(error) => return failed(&mut record, error),
    };
    let began = Instant::now();
    let parsed = match parse(&body, &state.settings.limits) {
        Ok(parsed) => parsed,
        Err(error) => return failed(&mut record, error),
    };
    drop(body);
    record.model.clone_from(&parsed.model);
    let (stream, include_usage) = (parsed.stream, parsed.include_usage);
    let request = BackendRequest { model: parsed.model, request: parsed.request };
    record.overhead += began.elapsed();

    let call = Instant::now();
    let result = tokio::select! {
        result = state.backend.stream(request) => result.map_err(ApiError::from),
        () = state.lifecycle.abort.cancelled() => Err(shutting_down()),
    };
    state.metrics.upstream_latency.observe(call.elapsed());
    let began = Instant::now();
    let answer = match result {
        Ok(answer) => answer,
        Err(error) => {
            state.metrics.attempts(&error.attempts);
            return failed(&mut record, error);
        }
    };
    state.metrics.attempts(&answer.attempts);
    record.answered_by = Some(answer.answered_by.clone());
    let ctx = AnswerContext::new(dialect, answer.answered_by.clone(), state.settings.ids.clone());
    if stream {
        let mut response = Response::new(Body::empty());
        let headers = response.headers_mut();
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
        insert_answered_by(headers, &answer.answered_by, &answer.attempts);
        let encoder = egress::encoder(dialect, ctx, include_usage);
        record.overhead += began.elapsed();
        *response.body_mut() = Body::from_stream(SseBody::new(answer.events, encoder, record, answer.price));
        response
    } else {
        record.overhead += began.elapsed();
        collect(&state, dialect, record, ctx, answer).await
    }
}

/// Serves a non-streamed request from the stream: fold the events, then write the whole response.
async fn collect(
    state: &AppState,
    dialect: Dialect,
    mut record: RequestRecord,
    ctx: AnswerContext,
    answer: BackendStream,
) -> Response {
    let BackendStream { answered_by, attempts, price, mut events } = answer;
    let mut assembler = MessageAssembler::new();
    loop {
        let next = tokio::select! {
            next = events.next() => next,
            () = state.lifecycle.abort.cancelled() => return failed(&mut record, shutting_down()),
        };
        let began = Instant::now();
        match next {
            Some(Ok(event)) => {
                match &event {
                    StreamEvent::Usage { usage } => state.metrics.usage(usage, price.as_ref()),
                    StreamEvent::Stop { .. } => {}
                    _ => record.first_event(),
                }
                let stop = matches!(event, StreamEvent::Stop { .. });
                assembler.push(&event);
                record.overhead += began.elapsed();
                if stop {
                    break;
                }
            }
            Some(Err(error)) => {
                let mut error = ApiError::from(error);
                if error.attempts.is_empty() {
                    error.attempts = attempts;
                }
                return failed(&mut record, error);
            }
            None => {
                let mut error = ApiError::new(
                    ApiErrorKind::Backend(FailoverReason::Unknown),
                    "the upstream stream ended before the answer was complete; retry the request",
                );
                error.attempts = attempts;
                return failed(&mut record, error);
            }
        }
    }
    drop(events);
    let began = Instant::now();
    let body = egress::complete(dialect, &ctx, &assembler.finish());
    let mut response = json_response(body);
    insert_answered_by(response.headers_mut(), &answered_by, &attempts);
    record.status = 200;
    record.outcome = "completed";
    record.overhead += began.elapsed();
    response
}

/// Answers an error in the record's dialect and notes its status.
fn failed(record: &mut RequestRecord, error: ApiError) -> Response {
    let response = error.into_response_for(record.dialect);
    record.status = response.status().as_u16();
    record.outcome = "error";
    response
}

fn json_response(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn shutting_down() -> ApiError {
    ApiError::new(ApiErrorKind::ShuttingDown, "the gateway is shutting down; retry the request in a moment")
}

fn check_enabled(state: &AppState, dialect: Dialect) -> Result<(), ApiError> {
    if state.settings.endpoints_enabled[dialect.index()] {
        return Ok(());
    }
    let key = match dialect {
        Dialect::Chat => "chatCompletions",
        Dialect::Responses => "responses",
        Dialect::Messages => "messages",
    };
    Err(ApiError::new(
        ApiErrorKind::NotFound,
        format!("this endpoint is turned off; set gateway.http.endpoints.{key}.enabled to true to serve it"),
    ))
}

/// The whole body, refused with 413 past `limit` bytes.
async fn read_body(request: Request, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            ApiErrorKind::BodyTooLarge,
            format!(
                "the request body is over the {limit} byte limit; send less (e.g. smaller or fewer images)"
            ),
        )
    };
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(request.into_body(), limit).await.map_err(|error| {
        let inner = error.into_inner();
        if inner.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
            too_large()
        } else {
            ApiError::invalid("body", format!("the request body could not be read: {inner}"))
        }
    })
}
