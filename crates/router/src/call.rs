//! One call to one candidate, under its deadlines, up to the point where the router commits to it:
//! the first visible output for a stream (events before it, like thinking, are held back), or the
//! end of the answer for a whole completion. A failure before that point leaves nothing behind, so
//! the router can move on invisibly.

use futures::StreamExt;
use llm::{ModelRequest, StreamEvent};
use providers::classify::TransportFailure;
use providers::{Client, EventStream, ProviderError, Target};

use crate::deadline::{deadline_error, Budget, Deadlines};

/// Where the router commits to a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitAt {
    /// The first text or tool-call event (streams).
    FirstOutput,
    /// The end of the answer (whole completions: nothing reaches the caller before it).
    End,
}

/// A candidate that got to the commit point.
pub struct Opened {
    /// Events received so far, in order (held back until now).
    pub held: Vec<StreamEvent>,
    /// The rest of the answer; `None` when it already finished.
    pub rest: Option<EventStream>,
}

/// Calls `target` and reads its answer up to the commit point.
pub async fn open(
    client: &Client,
    target: &Target,
    request: &ModelRequest,
    deadlines: Deadlines,
    budget: Budget,
    commit: CommitAt,
) -> Result<Opened, ProviderError> {
    let headers_wait = deadlines.headers.min(budget.remaining());
    let mut stream = match tokio::time::timeout(headers_wait, client.stream(target, request)).await {
        Ok(result) => result?,
        Err(_) => {
            let failure = if headers_wait < deadlines.headers {
                TransportFailure::TotalTimeout
            } else {
                TransportFailure::HeadersTimeout
            };
            return Err(deadline_error(target, &target.model.base_url, failure));
        }
    };
    let mut held = Vec::new();
    loop {
        let gap = if held.is_empty() { deadlines.first_token } else { deadlines.idle };
        let wait = gap.min(budget.remaining());
        match tokio::time::timeout(wait, stream.next()).await {
            Ok(Some(Ok(event))) => {
                let commits = commit == CommitAt::FirstOutput
                    && (event.is_visible_output() || matches!(event, StreamEvent::Stop { .. }));
                held.push(event);
                if commits {
                    return Ok(Opened { held, rest: Some(stream) });
                }
            }
            Ok(Some(Err(error))) => return Err(error),
            Ok(None) => return Ok(Opened { held, rest: None }),
            Err(_) => {
                let failure = if wait < gap {
                    TransportFailure::TotalTimeout
                } else if held.is_empty() {
                    TransportFailure::FirstTokenTimeout
                } else {
                    TransportFailure::IdleTimeout
                };
                return Err(deadline_error(target, stream.url(), failure));
            }
        }
    }
}
