//! What a routed request gives back: [`RoutedStream`] (events of the candidate that answered, under
//! its idle and total deadlines) and [`RoutedCompletion`] (the whole answer).
//!
//! A stream never ends as a success without a `Stop` event: a failure after the commit point is
//! yielded once as `Err` (with `output_started`) and the stream ends; the failure also cools the
//! model down like any other.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::Stream;
use llm::StreamEvent;
use providers::classify::TransportFailure;
use providers::{Completion, EventStream, ProviderError};
use tokio::time::{Instant, Sleep};

use crate::attempt::{Attempt, AttemptOutcome};
use crate::chain::Candidate;
use crate::cooldown::book::Failure;
use crate::deadline::deadline_error;
use crate::discovery::Prepared;
use crate::error::RouteError;
use crate::router::Inner;
use crate::run::Won;

/// The answer of the candidate that committed, as a stream. See the module docs.
pub struct RoutedStream {
    inner: Arc<Inner>,
    candidate: Candidate,
    answered_by: String,
    attempts: Vec<Attempt>,
    held: VecDeque<StreamEvent>,
    rest: Option<EventStream>,
    idle: std::time::Duration,
    end: Instant,
    timer: Pin<Box<Sleep>>,
    stopped: bool,
    done: bool,
    /// The `localService` lease: the server is not idle-stopped while its answer is read.
    _prepared: Prepared,
}

impl RoutedStream {
    pub(crate) fn new(inner: Arc<Inner>, won: Won) -> Self {
        let stopped = won.opened.held.iter().any(|e| matches!(e, StreamEvent::Stop { .. }));
        let idle = won.deadlines.idle;
        let end = won.budget.end;
        let timer = Box::pin(tokio::time::sleep_until((Instant::now() + idle).min(end)));
        RoutedStream {
            inner,
            answered_by: won.candidate.key(),
            candidate: won.candidate,
            attempts: won.attempts,
            held: won.opened.held.into(),
            rest: won.opened.rest,
            idle,
            end,
            timer,
            stopped,
            done: false,
            _prepared: won.prepared,
        }
    }

    /// `provider/model` of the candidate that answered.
    pub fn answered_by(&self) -> &str {
        &self.answered_by
    }

    /// Every attempt so far, in order, the answering one last.
    pub fn attempts(&self) -> Vec<Attempt> {
        self.attempts.clone()
    }

    fn fail(&mut self, error: ProviderError) -> RouteError {
        self.done = true;
        self.rest = None;
        if let Some(last) = self.attempts.last_mut() {
            last.outcome = AttemptOutcome::Failed(error.reason);
            last.status = error.status();
            last.detail = Some(error.kind.to_string());
        }
        let failure = Failure {
            provider: self.candidate.provider(),
            credential: &self.candidate.credential,
            model: self.candidate.model_id(),
            reason: error.reason,
            retry_after: error.retry_after,
            unreachable: false,
        };
        self.inner.book.record_failure(&failure, &self.inner.policy);
        tracing::warn!(target: "clawgate::router", candidate = %self.answered_by, reason = %error.reason, "answer failed after output had started");
        RouteError::mid_stream(self.attempts.clone(), error)
    }
}

impl Stream for RoutedStream {
    type Item = Result<StreamEvent, RouteError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(event) = this.held.pop_front() {
            return Poll::Ready(Some(Ok(event)));
        }
        if this.done {
            return Poll::Ready(None);
        }
        let Some(rest) = this.rest.as_mut() else {
            this.done = true;
            return Poll::Ready(None);
        };
        match Pin::new(rest).poll_next(cx) {
            Poll::Ready(Some(Ok(event))) => {
                this.stopped |= matches!(event, StreamEvent::Stop { .. });
                let next = (Instant::now() + this.idle).min(this.end);
                this.timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(event)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(this.fail(error)))),
            Poll::Ready(None) => {
                if this.stopped {
                    this.done = true;
                    Poll::Ready(None)
                } else {
                    let url = this.rest.as_ref().map(|r| r.url().to_owned()).unwrap_or_default();
                    let error = deadline_error(
                        &this.candidate.target,
                        &url,
                        TransportFailure::StreamEndedWithoutTerminal,
                    );
                    Poll::Ready(Some(Err(this.fail(error))))
                }
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    let failure = if Instant::now() >= this.end {
                        TransportFailure::TotalTimeout
                    } else {
                        TransportFailure::IdleTimeout
                    };
                    let url = this.rest.as_ref().map(|r| r.url().to_owned()).unwrap_or_default();
                    let error = deadline_error(&this.candidate.target, &url, failure);
                    Poll::Ready(Some(Err(this.fail(error))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// A whole answer, with who gave it and what was tried first. Usage and cost are the answering
/// attempt's only.
#[derive(Debug, Clone)]
pub struct RoutedCompletion {
    pub completion: Completion,
    pub answered_by: String,
    pub attempts: Vec<Attempt>,
}

impl RoutedCompletion {
    pub(crate) fn from_won(won: Won) -> Self {
        let completion = providers::completion(&won.candidate.target, &won.opened.held);
        RoutedCompletion { completion, answered_by: won.candidate.key(), attempts: won.attempts }
    }
}
