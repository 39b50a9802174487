//! [`Client`]: sends one request to one model and returns its answer as an [`EventStream`] (or, for
//! [`Client::complete`], assembled). Generic over dialects: the module of the model's `api` builds the
//! body and decodes the bytes; this file does HTTP, error statuses and the stream's lifecycle.
//!
//! Deadlines beyond the connect timeout (headers, first token, idle gap, total) belong to the
//! caller — the router wraps these futures and streams in its own timers.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use llm::{AssembledResponse, MessageAssembler, ModelRequest, StreamEvent, Usage};
use reqwest::header::{HeaderMap, CONTENT_TYPE};

use crate::classify::{retry_after, ErrorSignal, HeaderLookup, TransportFailure};
use crate::decode::{StreamDecoder, StreamFault};
use crate::dialect::Dialect;
use crate::error::{ProviderError, ProviderErrorDetail, ProviderErrorKind};
use crate::http::{build_client, transport_failure, ClientOptions, Phase};
use crate::request::UpstreamRequest;
use crate::target::{Auth, Target};

/// Largest error body read to classify a failure.
const MAX_ERROR_BODY: usize = 256 * 1024;
/// Largest non-streaming answer accepted.
const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// The shared HTTP clients. Cheap to clone; one per process.
#[derive(Debug, Clone)]
pub struct Client {
    local: reqwest::Client,
    remote: reqwest::Client,
}

impl Default for Client {
    fn default() -> Self {
        Client::new(ClientOptions::default())
    }
}

/// A finished non-streaming call.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub response: AssembledResponse,
    pub usage: Usage,
    /// USD, from the model's price.
    pub cost: f64,
}

impl Client {
    pub fn new(options: ClientOptions) -> Self {
        Client {
            local: build_client(options.local_connect_timeout, true),
            remote: build_client(options.remote_connect_timeout, false),
        }
    }

    /// Starts a streaming call. Returns once the response headers arrived and were a success; errors
    /// before that (connection, status, error body) come back here, errors after it inside the stream.
    pub async fn stream(
        &self,
        target: &Target,
        request: &ModelRequest,
    ) -> Result<EventStream, ProviderError> {
        let dialect = dialect_of(target)?;
        let upstream = dialect.build_request(target, request, true).map_err(|e| request_error(target, e))?;
        let ctx = CallContext::new(target, &upstream.url);
        let response = self.send(target, &upstream, &ctx).await?;
        let is_json = content_type(response.headers()).is_some_and(|ct| ct.contains("application/json"));
        if is_json {
            // The server ignored `stream: true`, or answered an error with a 200 (LM Studio does on
            // unknown routes): read the body and treat it as a whole answer or an error.
            let status = response.status().as_u16();
            let body = read_body(response, MAX_RESPONSE_BODY, &ctx).await?;
            if let Some(error) = error_in_json_body(status, &body, &ctx) {
                return Err(error);
            }
            let events = dialect.decode_response(target, request, &body).map_err(|f| ctx.fault(f))?;
            return Ok(EventStream::from_events(events, ctx));
        }
        let decoder = dialect.decoder(target, request);
        Ok(EventStream::new(response, decoder, ctx))
    }

    /// A non-streaming call, assembled, with usage and cost.
    pub async fn complete(
        &self,
        target: &Target,
        request: &ModelRequest,
    ) -> Result<Completion, ProviderError> {
        let dialect = dialect_of(target)?;
        let upstream = dialect.build_request(target, request, false).map_err(|e| request_error(target, e))?;
        let ctx = CallContext::new(target, &upstream.url);
        let response = self.send(target, &upstream, &ctx).await?;
        let status = response.status().as_u16();
        let body = read_body(response, MAX_RESPONSE_BODY, &ctx).await?;
        if let Some(error) = error_in_json_body(status, &body, &ctx) {
            return Err(error);
        }
        let events = dialect.decode_response(target, request, &body).map_err(|f| ctx.fault(f))?;
        Ok(completion(target, &events))
    }

    async fn send(
        &self,
        target: &Target,
        upstream: &UpstreamRequest,
        ctx: &CallContext,
    ) -> Result<reqwest::Response, ProviderError> {
        let client = if target.local { &self.local } else { &self.remote };
        let mut builder = client.post(&upstream.url).json(&upstream.body);
        for (name, value) in upstream.headers.iter().chain(&target.headers) {
            builder = builder.header(name, value);
        }
        builder = match &target.auth {
            Auth::None => builder,
            Auth::Bearer(key) => builder.bearer_auth(key.expose()),
            Auth::Header { name, value } => builder.header(name, value.expose()),
            Auth::Unusable(detail) => {
                return Err(ctx.error(
                    ProviderErrorKind::Credential { detail: detail.clone() },
                    llm::FailoverReason::Auth,
                ))
            }
        };
        let response = builder.send().await.map_err(|e| ctx.reqwest(e, Phase::Send))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry = retry_after(&HeaderMapLookup(response.headers()), std::time::SystemTime::now());
        let body = read_body(response, MAX_ERROR_BODY, ctx).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        if status.as_u16() == 404 && is_route_not_found(&text) {
            let message = format!(
                "the server has no POST {} endpoint (it answered {}); check this provider's `api` (for example, llama.cpp servers speak openai-completions only) and whether its baseUrl needs `/v1`",
                path_of(&upstream.url),
                text.trim()
            );
            return Err(ctx.error(
                ProviderErrorKind::Http { status: 404, message, code: None },
                llm::FailoverReason::Format,
            ));
        }
        let signal = ErrorSignal::from_body(Some(status.as_u16()), &text, Some(&ctx.provider));
        let mut error = ctx.upstream(status.as_u16(), &signal);
        error.retry_after = retry;
        Err(error)
    }
}

/// Assembles finished events into a [`Completion`].
pub fn completion(target: &Target, events: &[StreamEvent]) -> Completion {
    let mut assembler = MessageAssembler::new();
    for event in events {
        assembler.push(event);
    }
    let response = assembler.finish();
    let usage = response.usage.unwrap_or_default();
    let cost = target.model.price.cost(&usage);
    Completion { response, usage, cost }
}

fn dialect_of(target: &Target) -> Result<Dialect, ProviderError> {
    Dialect::of(target.model.api).ok_or_else(|| {
        CallContext::new(target, &target.model.base_url).error(
            ProviderErrorKind::UnsupportedApi { api: target.model.api.as_str().to_owned() },
            llm::FailoverReason::Format,
        )
    })
}

fn request_error(target: &Target, error: crate::request::RequestError) -> ProviderError {
    CallContext::new(target, &target.model.base_url)
        .error(ProviderErrorKind::Request { detail: error.0 }, llm::FailoverReason::Format)
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase)
}

/// An `{"error": …}` body (any shape) in a JSON answer, as an error; `None` for a normal answer.
fn error_in_json_body(status: u16, body: &[u8], ctx: &CallContext) -> Option<ProviderError> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("error").filter(|e| !e.is_null())?;
    let text = String::from_utf8_lossy(body);
    let signal = ErrorSignal::from_body(Some(status), &text, Some(&ctx.provider));
    Some(ctx.upstream(status, &signal))
}

async fn read_body(
    response: reqwest::Response,
    limit: usize,
    ctx: &CallContext,
) -> Result<Vec<u8>, ProviderError> {
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ctx.reqwest(e, Phase::Body))?;
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    Ok(body)
}

/// A 404 that says the route does not exist (rather than the model): FastAPI's `{"detail":"Not Found"}`
/// (llama-cpp-python, vLLM), Go's `404 page not found` (Ollama), Express's `Cannot POST`, LM Studio's
/// `Unexpected endpoint or method`.
fn is_route_not_found(body: &str) -> bool {
    let lower = body.trim().to_ascii_lowercase();
    lower.is_empty()
        || lower == r#"{"detail":"not found"}"#
        || lower.starts_with("404 page not found")
        || lower.contains("cannot post")
        || lower.contains("unexpected endpoint or method")
        || lower == "not found"
}

fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/').map_or("/", |i| &rest[i..])
}

struct HeaderMapLookup<'a>(&'a HeaderMap);

impl HeaderLookup for HeaderMapLookup<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Where a call goes, for error messages.
#[derive(Debug, Clone)]
struct CallContext {
    provider: String,
    model: String,
    url: String,
}

impl CallContext {
    fn new(target: &Target, url: &str) -> Self {
        CallContext {
            provider: target.model.provider.clone(),
            model: target.model.id.clone(),
            url: url.to_owned(),
        }
    }

    fn error(&self, kind: ProviderErrorKind, reason: llm::FailoverReason) -> ProviderError {
        ProviderError::new(ProviderErrorDetail {
            kind,
            reason,
            provider: self.provider.clone(),
            model: self.model.clone(),
            url: self.url.clone(),
            retry_after: None,
        })
    }

    fn upstream(&self, status: u16, signal: &ErrorSignal) -> ProviderError {
        let message =
            if signal.message.trim().is_empty() { "(empty body)".to_owned() } else { signal.message.clone() };
        self.error(ProviderErrorKind::Http { status, message, code: signal.code.clone() }, signal.classify())
    }

    fn transport(&self, failure: TransportFailure, source: Option<crate::error::BoxError>) -> ProviderError {
        self.error(ProviderErrorKind::Transport { failure, source }, failure.reason())
    }

    fn reqwest(&self, error: reqwest::Error, phase: Phase) -> ProviderError {
        let failure = transport_failure(&error, phase);
        self.transport(failure, Some(Box::new(error)))
    }

    fn fault(&self, fault: StreamFault) -> ProviderError {
        match fault {
            StreamFault::Upstream { signal } => {
                let message = if signal.message.trim().is_empty() {
                    "(no details)".to_owned()
                } else {
                    signal.message.clone()
                };
                let reason = signal.classify();
                self.error(ProviderErrorKind::Stream { message, code: signal.code.clone() }, reason)
            }
            StreamFault::Malformed { detail } => {
                self.transport(TransportFailure::MalformedChunk, Some(detail.into()))
            }
            StreamFault::EndedWithoutTerminal => {
                self.transport(TransportFailure::StreamEndedWithoutTerminal, None)
            }
        }
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// The events of one streamed answer. Yields `Ok` events in order; a failure is yielded once as
/// `Err` after the events decoded before it, and then the stream ends. A stream that ends with
/// `None` and no error finished properly (its last events were `Usage` and `Stop`).
pub struct EventStream {
    body: Option<ByteStream>,
    decoder: Option<Box<dyn StreamDecoder>>,
    queue: VecDeque<StreamEvent>,
    scratch: Vec<StreamEvent>,
    error: Option<ProviderError>,
    ctx: CallContext,
}

impl EventStream {
    fn new(response: reqwest::Response, decoder: Box<dyn StreamDecoder>, ctx: CallContext) -> Self {
        EventStream {
            body: Some(Box::pin(response.bytes_stream())),
            decoder: Some(decoder),
            queue: VecDeque::new(),
            scratch: Vec::new(),
            error: None,
            ctx,
        }
    }

    fn from_events(events: Vec<StreamEvent>, ctx: CallContext) -> Self {
        EventStream { body: None, decoder: None, queue: events.into(), scratch: Vec::new(), error: None, ctx }
    }

    /// The URL this stream comes from.
    pub fn url(&self) -> &str {
        &self.ctx.url
    }

    fn fail(&mut self, error: ProviderError) {
        self.body = None;
        self.decoder = None;
        self.error = Some(error);
    }
}

impl Stream for EventStream {
    type Item = Result<StreamEvent, ProviderError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.queue.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            if let Some(error) = this.error.take() {
                return Poll::Ready(Some(Err(error)));
            }
            let (Some(body), Some(decoder)) = (this.body.as_mut(), this.decoder.as_mut()) else {
                return Poll::Ready(None);
            };
            match body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(bytes))) => {
                    let result = decoder.push(&bytes, &mut this.scratch);
                    this.queue.extend(this.scratch.drain(..));
                    if let Err(fault) = result {
                        let error = this.ctx.fault(fault);
                        this.fail(error);
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    let error = this.ctx.reqwest(e, Phase::Body);
                    this.fail(error);
                }
                Poll::Ready(None) => {
                    let result = decoder.finish(&mut this.scratch);
                    this.queue.extend(this.scratch.drain(..));
                    this.body = None;
                    this.decoder = None;
                    if let Err(fault) = result {
                        this.error = Some(this.ctx.fault(fault));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_route_not_found, path_of};

    #[test]
    fn route_not_found_bodies_are_recognised() {
        assert!(is_route_not_found(r#"{"detail":"Not Found"}"#)); // llama-cpp-python, recorded
        assert!(is_route_not_found("404 page not found"));
        assert!(is_route_not_found("Cannot POST /v1/responses"));
        assert!(!is_route_not_found(r#"{"error":"model 'qwen3' not found, try pulling it first"}"#));
        assert!(!is_route_not_found(
            r#"{"error":{"message":"The model `gpt-9` does not exist","code":"model_not_found"}}"#
        ));
    }

    #[test]
    fn path_is_taken_from_the_url() {
        assert_eq!(path_of("http://127.0.0.1:8080/v1/responses"), "/v1/responses");
        assert_eq!(path_of("http://host"), "/");
    }
}
