//! `SseBody`: the body of a streamed answer. Each backend event is encoded and handed to hyper as soon
//! as it arrives (events already waiting are written together, nothing waits for more); a keep-alive
//! comment goes out after a quiet interval; shutdown's abort ends the stream with an error event. When
//! the client disconnects hyper drops the body, which drops the backend stream and so cancels the call.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::{FutureExt, Stream, StreamExt};
use llm::{FailoverReason, StreamEvent};
use tokio::time::{Instant, Sleep};
use tokio_util::sync::WaitForCancellationFutureOwned;
use wire::sse::KEEP_ALIVE;

use super::StreamEncoder;
use crate::api_error::{ApiError, ApiErrorKind};
use crate::backend::BackendError;
use crate::record::RequestRecord;

/// Frames bigger than this are handed over before reading more ready events.
const FRAME_SOFT_LIMIT: usize = 32 * 1024;

/// A streamed answer in one dialect.
pub struct SseBody {
    events: Option<BoxStream<'static, Result<StreamEvent, BackendError>>>,
    encoder: Box<dyn StreamEncoder>,
    record: RequestRecord,
    price: Option<llm::Price>,
    keep_alive: Duration,
    idle: Pin<Box<Sleep>>,
    abort: Pin<Box<WaitForCancellationFutureOwned>>,
    started: bool,
    finished: bool,
}

impl SseBody {
    pub fn new(
        events: BoxStream<'static, Result<StreamEvent, BackendError>>,
        encoder: Box<dyn StreamEncoder>,
        record: RequestRecord,
        price: Option<llm::Price>,
    ) -> Self {
        let keep_alive = record.state().settings.keep_alive;
        let abort = Box::pin(record.state().lifecycle.abort.clone().cancelled_owned());
        Self {
            events: Some(events),
            encoder,
            record,
            price,
            keep_alive,
            idle: Box::pin(tokio::time::sleep(keep_alive)),
            abort,
            started: false,
            finished: false,
        }
    }

    /// Ends the stream: the backend stream is dropped at once.
    fn finish(&mut self, outcome: &'static str) {
        self.finished = true;
        self.events = None;
        self.record.outcome = outcome;
        self.record.status = 200;
    }

    /// Reads every event that is ready into `out`.
    fn drain_ready(&mut self, cx: &mut Context<'_>, out: &mut BytesMut) {
        while let Some(events) = self.events.as_mut() {
            let polled = events.poll_next_unpin(cx);
            let began = Instant::now();
            match polled {
                Poll::Pending => return,
                Poll::Ready(Some(Ok(event))) => {
                    match &event {
                        StreamEvent::Usage { usage } => {
                            self.record.state().metrics.usage(usage, self.price.as_ref())
                        }
                        StreamEvent::Stop { .. } => {}
                        _ => self.record.first_event(),
                    }
                    self.encoder.event(&event, out);
                    if self.encoder.is_done() {
                        self.finish("completed");
                    }
                }
                Poll::Ready(Some(Err(error))) => {
                    tracing::warn!(reason = %error.reason, error = %error.message, "stream failed after it started");
                    self.encoder.fail(&ApiError::from(error), out);
                    self.finish("failed_mid_stream");
                }
                Poll::Ready(None) => {
                    let error = ApiError::new(
                        ApiErrorKind::Backend(FailoverReason::Unknown),
                        "the upstream stream ended before the answer was complete; retry the request",
                    );
                    self.encoder.fail(&error, out);
                    self.finish("incomplete");
                }
            }
            self.record.overhead += began.elapsed();
            if out.len() >= FRAME_SOFT_LIMIT {
                return;
            }
        }
    }
}

impl Stream for SseBody {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        let mut out = BytesMut::new();
        if !this.started {
            this.started = true;
            let began = Instant::now();
            this.encoder.start(&mut out);
            this.record.overhead += began.elapsed();
        }
        if this.abort.poll_unpin(cx).is_ready() {
            let error = ApiError::new(
                ApiErrorKind::ShuttingDown,
                "the gateway is shutting down and its grace period for open streams ran out; retry the request",
            );
            this.encoder.fail(&error, &mut out);
            this.finish("aborted_by_shutdown");
            return Poll::Ready(Some(Ok(out.freeze())));
        }
        this.drain_ready(cx, &mut out);
        if !out.is_empty() {
            let deadline = Instant::now() + this.keep_alive;
            this.idle.as_mut().reset(deadline);
            return Poll::Ready(Some(Ok(out.freeze())));
        }
        if this.finished {
            return Poll::Ready(None);
        }
        if this.idle.poll_unpin(cx).is_ready() {
            let deadline = Instant::now() + this.keep_alive;
            this.idle.as_mut().reset(deadline);
            return Poll::Ready(Some(Ok(Bytes::from_static(KEEP_ALIVE))));
        }
        Poll::Pending
    }
}
