//! [`RouterBackend`]: the production [`Backend`] — requests go through the failover router, and each
//! finished request is written to the usage ledger off the hot path. Holds the current router
//! snapshot; a hot reload swaps it ([`RouterBackend::swap`]) while requests in flight keep theirs.

use std::pin::Pin;
use std::sync::RwLock;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use futures::{Stream, StreamExt};
use ledger::{AttemptRecord, LedgerSender, UsageRecord};
use llm::{StreamEvent, Usage};
use router::{Attempt, AttemptOutcome, RouteError, RouteRequest, Router};

use crate::backend::{
    AttemptSummary, Backend, BackendError, BackendRequest, BackendStream, CooldownInfo, ModelInfo,
};

/// The router behind the gateway, plus the ledger.
pub struct RouterBackend {
    router: RwLock<Router>,
    ledger: Option<LedgerSender>,
}

impl RouterBackend {
    pub fn new(router: Router, ledger: Option<LedgerSender>) -> Self {
        RouterBackend { router: RwLock::new(router), ledger }
    }

    /// The router requests start on now.
    pub fn current(&self) -> Router {
        self.router.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Installs a new router snapshot (hot reload). Requests already running keep the old one.
    pub fn swap(&self, router: Router) {
        *self.router.write().unwrap_or_else(|e| e.into_inner()) = router;
    }

    /// Records dropped because the ledger writer fell behind.
    pub fn ledger_dropped(&self) -> u64 {
        self.ledger.as_ref().map_or(0, LedgerSender::dropped)
    }
}

fn summaries(attempts: &[Attempt]) -> Vec<AttemptSummary> {
    attempts
        .iter()
        .map(|a| AttemptSummary {
            model: a.model.clone(),
            outcome: match &a.outcome {
                AttemptOutcome::Answered => "ok".to_owned(),
                AttemptOutcome::Failed(reason) => reason.as_str().to_owned(),
                AttemptOutcome::Skipped(_) => "skipped".to_owned(),
            },
            elapsed: a.elapsed,
        })
        .collect()
}

fn backend_error(error: &RouteError) -> BackendError {
    BackendError {
        reason: error.reason,
        message: error.message.clone(),
        attempts: summaries(&error.attempts),
        retry_after: error.retry_after,
    }
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl Backend for RouterBackend {
    fn stream(&self, request: BackendRequest) -> BoxFuture<'static, Result<BackendStream, BackendError>> {
        let router = self.current();
        let ledger = self.ledger.clone();
        Box::pin(async move {
            let started = tokio::time::Instant::now();
            let mut entry = LedgerEntry::new(ledger, &request.model, request.dialect);
            let route = RouteRequest::new(request.model.clone(), request.request);
            let stream = match router.stream(route).await {
                Ok(stream) => stream,
                Err(error) => {
                    entry.finish_failed(&error, started.elapsed());
                    return Err(backend_error(&error));
                }
            };
            let answered_by = stream.answered_by().to_owned();
            let attempts = stream.attempts();
            // A key is `provider/id`, or the id itself when the id already starts with `provider/`.
            let registry = &router.config().registry;
            let price = answered_by
                .split_once('/')
                .and_then(|(provider, id)| {
                    registry.model(provider, id).or_else(|| registry.model(provider, &answered_by))
                })
                .map(|m| m.price.clone())
                .filter(|p| !p.is_free());
            entry.answered(&answered_by, &attempts, price.clone());
            let events = LedgeredEvents { inner: stream, entry: Some(entry), started };
            Ok(BackendStream { answered_by, attempts: summaries(&attempts), price, events: events.boxed() })
        })
    }

    fn cooldowns(&self) -> Vec<CooldownInfo> {
        self.current()
            .cooldowns()
            .into_iter()
            .map(|c| CooldownInfo {
                target: c.target,
                reason: c.reason.as_str().to_owned(),
                remaining: c.remaining,
                failures: c.failures,
            })
            .collect()
    }

    fn models(&self) -> Vec<ModelInfo> {
        let router = self.current();
        let config = router.config();
        let mut models: Vec<ModelInfo> = config
            .registry
            .models()
            .map(|m| ModelInfo {
                id: m.key(),
                owned_by: m.provider.clone(),
                alias_for: None,
                context_window: m.context_window,
            })
            .collect();
        for (key, entry) in &config.raw.agents.defaults.models {
            if let Some(alias) = entry.alias.as_deref().filter(|a| !a.trim().is_empty()) {
                models.push(ModelInfo {
                    id: alias.to_owned(),
                    owned_by: key.split('/').next().unwrap_or_default().to_owned(),
                    alias_for: Some(key.clone()),
                    context_window: None,
                });
            }
        }
        models
    }
}

/// What the ledger will record for one request, filled as it goes and sent once at the end.
struct LedgerEntry {
    sender: Option<LedgerSender>,
    record: UsageRecord,
    price: Option<llm::Price>,
    sent: bool,
}

impl LedgerEntry {
    fn new(sender: Option<LedgerSender>, requested: &str, dialect: &str) -> Self {
        LedgerEntry {
            sender,
            record: UsageRecord {
                at_ms: now_ms(),
                dialect: dialect.to_owned(),
                requested: requested.to_owned(),
                answered_by: None,
                attempts: Vec::new(),
                status: 0,
                input_tokens: 0,
                output_tokens: 0,
                cache_read_tokens: 0,
                cache_write_tokens: 0,
                reasoning_tokens: 0,
                estimated: false,
                cost_usd: 0.0,
                duration_ms: 0,
            },
            price: None,
            sent: false,
        }
    }

    fn set_attempts(&mut self, attempts: &[Attempt]) {
        self.record.attempts = attempts
            .iter()
            .map(|a| AttemptRecord {
                model: a.model.clone(),
                outcome: match &a.outcome {
                    AttemptOutcome::Answered => "ok".to_owned(),
                    AttemptOutcome::Failed(reason) => reason.as_str().to_owned(),
                    AttemptOutcome::Skipped(reason) => format!("skipped: {reason}"),
                },
                ms: a.elapsed.as_millis() as u64,
            })
            .collect();
    }

    fn answered(&mut self, model: &str, attempts: &[Attempt], price: Option<llm::Price>) {
        self.record.answered_by = Some(model.to_owned());
        self.set_attempts(attempts);
        self.price = price;
    }

    fn usage(&mut self, usage: &Usage) {
        let r = &mut self.record;
        r.input_tokens = usage.input;
        r.output_tokens = usage.output;
        r.cache_read_tokens = usage.cache_read;
        r.cache_write_tokens = usage.cache_write;
        r.reasoning_tokens = usage.reasoning;
        r.estimated = usage.estimated;
        r.cost_usd = self.price.as_ref().map_or(0.0, |p| p.cost(usage));
    }

    fn finish_failed(&mut self, error: &RouteError, elapsed: Duration) {
        self.set_attempts(&error.attempts);
        if error.output_started {
            // Tokens were spent on output the caller saw in part; keep the answering model.
            self.record.answered_by = error.attempts.last().map(|a| a.model.clone());
        } else {
            self.record.answered_by = None;
        }
        self.record.status = error.reason.status();
        self.send(elapsed);
    }

    fn send(&mut self, elapsed: Duration) {
        if self.sent {
            return;
        }
        self.sent = true;
        self.record.duration_ms = elapsed.as_millis() as u64;
        if let Some(sender) = &self.sender {
            sender.record(self.record.clone());
        }
    }
}

/// The router's stream, watched on its way to the client for usage, the end, and failures.
struct LedgeredEvents {
    inner: router::RoutedStream,
    entry: Option<LedgerEntry>,
    started: tokio::time::Instant,
}

impl Stream for LedgeredEvents {
    type Item = Result<StreamEvent, BackendError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let polled = this.inner.poll_next_unpin(cx);
        let elapsed = this.started.elapsed();
        match &polled {
            Poll::Ready(Some(Ok(StreamEvent::Usage { usage }))) => {
                if let Some(entry) = this.entry.as_mut() {
                    entry.usage(usage);
                }
            }
            Poll::Ready(Some(Ok(StreamEvent::Stop { .. }))) => {
                if let Some(mut entry) = this.entry.take() {
                    entry.record.status = 200;
                    entry.send(elapsed);
                }
            }
            Poll::Ready(Some(Err(error))) => {
                if let Some(mut entry) = this.entry.take() {
                    entry.finish_failed(error, elapsed);
                }
            }
            Poll::Ready(None) => {
                if let Some(mut entry) = this.entry.take() {
                    // Ended without a stop: incomplete.
                    entry.record.status = 502;
                    entry.send(elapsed);
                }
            }
            _ => {}
        }
        polled.map(|item| item.map(|r| r.map_err(|e| backend_error(&e))))
    }
}

impl Drop for LedgeredEvents {
    fn drop(&mut self) {
        // The client went away before the end: recorded as 499, with what was used so far.
        if let Some(mut entry) = self.entry.take() {
            entry.record.status = 499;
            entry.send(self.started.elapsed());
        }
    }
}
