//! Ids and timestamps the gateway writes into responses (`chatcmpl-…`, `resp_…`, `msg_…`, `created`).
//! Injectable so tests can snapshot exact bytes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Makes response ids and reads the wall clock.
pub trait IdSource: Send + Sync + 'static {
    /// A fresh id starting with `prefix` (`chatcmpl-`, `resp_`, `msg_`, `rs_`, `fc_`).
    fn id(&self, prefix: &str) -> String;
    /// Unix seconds, for `created` / `created_at`.
    fn now_unix(&self) -> u64;
}

/// Random ids (24 alphanumerics, like OpenAI's) and the system clock.
#[derive(Debug, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn id(&self, prefix: &str) -> String {
        let mut id = String::with_capacity(prefix.len() + 24);
        id.push_str(prefix);
        id.extend(std::iter::repeat_with(fastrand::alphanumeric).take(24));
        id
    }

    fn now_unix(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }
}

/// Counting ids (`msg_0001`, `msg_0002` …) and a fixed clock: the same bytes on every run.
#[derive(Debug)]
pub struct SequentialIds {
    next: AtomicU64,
    now: u64,
}

impl SequentialIds {
    pub fn new(now_unix: u64) -> Self {
        Self { next: AtomicU64::new(1), now: now_unix }
    }
}

impl IdSource for SequentialIds {
    fn id(&self, prefix: &str) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n:04}")
    }

    fn now_unix(&self) -> u64 {
        self.now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_keep_the_prefix_and_differ() {
        let a = RandomIds.id("resp_");
        let b = RandomIds.id("resp_");
        assert!(a.starts_with("resp_") && a.len() == 29);
        assert_ne!(a, b);
    }

    #[test]
    fn sequential_ids_count_up() {
        let ids = SequentialIds::new(7);
        assert_eq!(ids.id("msg_"), "msg_0001");
        assert_eq!(ids.id("fc_"), "fc_0002");
        assert_eq!(ids.now_unix(), 7);
    }
}
