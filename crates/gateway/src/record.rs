//! `RequestRecord`: follows one request from arrival to its last byte and writes its metrics and log
//! line when dropped — whether it ended normally, failed, or the client went away (status 499).

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::state::AppState;
use crate::Dialect;

/// Status recorded when the client disconnected before the answer was written.
pub const CLIENT_CLOSED: u16 = 499;

/// The bookkeeping of one request.
pub struct RequestRecord {
    state: Arc<AppState>,
    pub dialect: Dialect,
    pub started: Instant,
    /// Time spent in the gateway itself (parsing, encoding), not waiting on the backend.
    pub overhead: Duration,
    pub status: u16,
    pub model: String,
    pub answered_by: Option<String>,
    first_token: bool,
    /// Set once the answer (or the error) was completely written.
    pub outcome: &'static str,
}

impl RequestRecord {
    pub fn new(state: Arc<AppState>, dialect: Dialect, started: Instant) -> Self {
        state.metrics.request_started();
        Self {
            state,
            dialect,
            started,
            overhead: Duration::ZERO,
            status: CLIENT_CLOSED,
            model: String::new(),
            answered_by: None,
            first_token: false,
            outcome: "client_closed",
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Marks the first answer event (time to first token).
    pub fn first_event(&mut self) {
        if !self.first_token {
            self.first_token = true;
            self.state.metrics.ttft.observe(self.started.elapsed());
        }
    }
}

impl Drop for RequestRecord {
    fn drop(&mut self) {
        let metrics = &self.state.metrics;
        metrics.request_finished(self.dialect, self.status);
        metrics.overhead.observe(self.overhead);
        let total = self.started.elapsed();
        metrics.duration.observe(total);
        tracing::info!(
            dialect = self.dialect.as_str(),
            model = %self.model,
            answered_by = self.answered_by.as_deref().unwrap_or("-"),
            status = self.status,
            outcome = self.outcome,
            ms = total.as_millis() as u64,
            overhead_us = self.overhead.as_micros() as u64,
            "request"
        );
    }
}
