//! [`DiscoveryCache`]: server reports (and failures) kept for a short TTL so the router does not ask a
//! server on every request, and a dead box is not re-dialled on every request either. Time comes
//! from an injected [`Clock`] so expiry is tested without waiting.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::error::DiscoveryError;
use super::fetch::Discoverer;
use super::{ServerKind, ServerReport};

/// A source of "now".
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> Instant;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told to (tests, simulations).
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock { start: Instant::now(), offset: Mutex::new(Duration::ZERO) }
    }
}

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A cached answer: the report, or why there is none.
pub type Cached = Result<Arc<ServerReport>, Arc<DiscoveryError>>;

#[derive(Debug)]
struct Entry {
    at: Instant,
    value: Cached,
}

/// Reports per (kind, base URL), fresh for `ttl` (failures for `failure_ttl`).
#[derive(Debug)]
pub struct DiscoveryCache {
    ttl: Duration,
    failure_ttl: Duration,
    clock: Arc<dyn Clock>,
    entries: Mutex<HashMap<(ServerKind, String), Entry>>,
}

impl DiscoveryCache {
    /// Reports and failures both kept for `ttl`.
    pub fn new(ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        DiscoveryCache { ttl, failure_ttl: ttl, clock, entries: Mutex::new(HashMap::new()) }
    }

    /// Keeps failures for a different (usually shorter) time, so a restarted server is seen soon.
    pub fn with_failure_ttl(mut self, failure_ttl: Duration) -> Self {
        self.failure_ttl = failure_ttl;
        self
    }

    fn key(kind: ServerKind, base_url: &str) -> (ServerKind, String) {
        (kind, base_url.trim_end_matches('/').to_string())
    }

    /// The cached answer, if still fresh.
    pub fn get(&self, kind: ServerKind, base_url: &str) -> Option<Cached> {
        let now = self.clock.now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let key = Self::key(kind, base_url);
        let entry = entries.get(&key)?;
        let ttl = if entry.value.is_ok() { self.ttl } else { self.failure_ttl };
        if now.saturating_duration_since(entry.at) < ttl {
            return Some(entry.value.clone());
        }
        entries.remove(&key);
        None
    }

    /// Stores an answer and returns it in cached form.
    pub fn put(
        &self,
        kind: ServerKind,
        base_url: &str,
        result: Result<ServerReport, DiscoveryError>,
    ) -> Cached {
        let value: Cached = result.map(Arc::new).map_err(Arc::new);
        let entry = Entry { at: self.clock.now(), value: value.clone() };
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).insert(Self::key(kind, base_url), entry);
        value
    }

    /// Forgets a server (after a config reload changed it, or after a failed call to it).
    pub fn invalidate(&self, kind: ServerKind, base_url: &str) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).remove(&Self::key(kind, base_url));
    }

    /// The cached answer, or a fresh one from `discoverer` (then cached).
    pub async fn discover(
        &self,
        discoverer: &Discoverer,
        kind: ServerKind,
        base_url: &str,
        bearer: Option<&str>,
    ) -> Cached {
        if let Some(hit) = self.get(kind, base_url) {
            return hit;
        }
        let result = discoverer.discover(kind, base_url, bearer).await;
        self.put(kind, base_url, result)
    }
}
