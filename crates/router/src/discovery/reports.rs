//! [`Reports`]: what each local server reported, per (kind, base URL), kept for a TTL on tokio's
//! clock. A fresh report is used as is; a stale one is used while one background discovery replaces
//! it; with none yet, a request waits for the first discovery only until `wait` after that discovery
//! started — later requests never wait longer than the first. Failures are kept like reports, so a
//! dead server is asked once per TTL too.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use providers::discovery::{Discoverer, ServerKind, ServerReport};
use tokio::sync::watch;
use tokio::time::Instant;

use super::Tasks;

/// A report, or why there is none.
pub(super) type Answer = Result<Arc<ServerReport>, Arc<providers::discovery::DiscoveryError>>;

#[derive(Debug, Clone)]
struct Entry {
    at: Instant,
    answer: Answer,
    /// Forced stale (a server that was just started): refreshed by the next lookup.
    stale: bool,
}

/// One server's report and the discovery that refreshes it.
#[derive(Debug)]
pub(super) struct Slot {
    entry: watch::Sender<Option<Entry>>,
    fetching: AtomicBool,
    /// When the discovery in flight (or the last one) started.
    started: Mutex<Option<Instant>>,
}

impl Slot {
    fn new() -> Self {
        Slot { entry: watch::Sender::new(None), fetching: AtomicBool::new(false), started: Mutex::new(None) }
    }

    /// Marks `model` loaded with `context` (after a preload), keeping the report's age.
    pub fn mark_loaded(&self, model: &str, context: Option<u64>) {
        self.entry.send_modify(|entry| {
            let Some(Entry { answer: Ok(report), .. }) = entry else { return };
            let mut updated = ServerReport::clone(report);
            if let Some(m) = updated.models.iter_mut().find(|m| m.id.eq_ignore_ascii_case(model)) {
                m.loaded = Some(true);
                m.context_window = context.or(m.context_window);
            }
            *report = Arc::new(updated);
        });
    }
}

/// The reports of every server asked so far.
#[derive(Debug)]
pub(super) struct Reports {
    ttl: Duration,
    slots: Mutex<HashMap<(ServerKind, String), Arc<Slot>>>,
}

impl Reports {
    pub fn new(ttl: Duration) -> Self {
        Reports { ttl, slots: Mutex::new(HashMap::new()) }
    }

    pub fn slot(&self, kind: ServerKind, base_url: &str) -> Arc<Slot> {
        let key = (kind, base_url.trim_end_matches('/').to_owned());
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(key).or_insert_with(|| Arc::new(Slot::new())))
    }

    /// The server's report: cached, stale (refreshed in the background), or the first one if it
    /// arrives within `wait` of its discovery's start. `None` when nothing is known in time.
    pub async fn lookup(
        &self,
        tasks: &Tasks,
        discoverer: &Discoverer,
        kind: ServerKind,
        base_url: &str,
        bearer: Option<String>,
        wait: Duration,
    ) -> Option<Answer> {
        let slot = self.slot(kind, base_url);
        let current = slot.entry.borrow().clone();
        let fresh = current.as_ref().is_some_and(|e| !e.stale && e.at.elapsed() < self.ttl);
        if !fresh && !slot.fetching.swap(true, Ordering::AcqRel) {
            *slot.started.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
            tasks.spawn(refresh(Arc::clone(&slot), discoverer.clone(), kind, base_url.to_owned(), bearer));
        }
        if let Some(entry) = current {
            return Some(entry.answer);
        }
        let started =
            slot.started.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or_else(Instant::now);
        let mut changes = slot.entry.subscribe();
        let first = tokio::time::timeout_at(started + wait, changes.wait_for(Option::is_some)).await;
        match first {
            Ok(Ok(entry)) => entry.as_ref().map(|e| e.answer.clone()),
            _ => {
                tracing::debug!(target: "clawgate::router", base_url, wait_ms = wait.as_millis() as u64, "no discovery answer in time; going on without it");
                None
            }
        }
    }

    /// Makes the next lookup of a server refresh its report (it was just started).
    pub fn expire(&self, kind: ServerKind, base_url: &str) {
        self.slot(kind, base_url).entry.send_modify(|entry| {
            if let Some(entry) = entry {
                entry.stale = true;
            }
        });
    }
}

async fn refresh(
    slot: Arc<Slot>,
    discoverer: Discoverer,
    kind: ServerKind,
    base_url: String,
    bearer: Option<String>,
) {
    let answer = discoverer.discover(kind, &base_url, bearer.as_deref()).await;
    if let Err(e) = &answer {
        tracing::debug!(target: "clawgate::router", base_url, error = %e, "discovery failed");
    }
    let entry = Entry { at: Instant::now(), answer: answer.map(Arc::new).map_err(Arc::new), stale: false };
    slot.entry.send_replace(Some(entry));
    slot.fetching.store(false, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;
    use providers::discovery::{DiscoveredModel, ServerStatus};

    #[tokio::test(start_paused = true)]
    async fn a_preloaded_model_is_marked_loaded_and_expiry_forces_a_refresh() {
        let reports = Reports::new(Duration::from_secs(30));
        let slot = reports.slot(ServerKind::LmStudio, "http://127.0.0.1:1234/v1/");
        let mut cold = DiscoveredModel::new("qwen/qwen3-8b");
        cold.loaded = Some(false);
        cold.context_window = Some(32_768);
        let report = ServerReport {
            kind: ServerKind::LmStudio,
            base_url: "http://127.0.0.1:1234/v1".into(),
            status: ServerStatus::Ready,
            models: vec![cold],
        };
        slot.entry.send_replace(Some(Entry {
            at: Instant::now(),
            answer: Ok(Arc::new(report)),
            stale: false,
        }));
        slot.mark_loaded("Qwen/Qwen3-8B", Some(16_384));
        let same = reports.slot(ServerKind::LmStudio, "http://127.0.0.1:1234/v1");
        let entry = same.entry.borrow().clone().unwrap();
        let model = entry.answer.as_ref().unwrap().models[0].clone();
        assert_eq!((model.loaded, model.context_window), (Some(true), Some(16_384)));
        assert!(!entry.stale);
        reports.expire(ServerKind::LmStudio, "http://127.0.0.1:1234/v1");
        assert!(same.entry.borrow().as_ref().unwrap().stale);
    }
}
