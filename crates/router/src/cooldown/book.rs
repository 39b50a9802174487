//! [`CooldownBook`]: the live cooldown state, shared by every router built from one state store,
//! written through to `state.db` on every change (failures and recoveries only: a healthy request
//! touches no disk).
//!
//! Scope (openclaw-behaviour §5.4): `rate_limit`, `timeout`, `model_not_found` and `model_loading`
//! cool down one model of a provider and credential, so a sibling model may still run. The scope
//! widens to the whole provider (and credential) when
//! - the reason is about the account or the service (`auth`, `billing`, `overloaded`, `server_error`,
//!   unclassified failures),
//! - the server could not be reached at all (connection refused, DNS, TLS, connect timeout: every
//!   model behind that base URL is down), or
//! - a different model of the same provider fails while another one's window is open.
//!
//! Active windows are immutable: a failure inside a window (a probe, a retry) neither extends it nor
//! climbs the ladder; only a heavier lane (billing, auth_permanent) replaces a transient window.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use llm::FailoverReason;

use super::entry::{CooldownEntry, CooldownKey};
use super::policy::{CooldownPolicy, Lane};
use crate::clock::Clock;
use crate::store::StateStore;

/// How wide a failure's cooldown is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureScope {
    Model,
    Provider,
}

impl FailureScope {
    /// The scope a failure starts with. `unreachable`: the server itself could not be reached.
    pub fn of(reason: FailoverReason, unreachable: bool) -> FailureScope {
        use FailoverReason as R;
        if unreachable {
            return FailureScope::Provider;
        }
        match reason {
            R::RateLimit | R::Timeout | R::ModelNotFound | R::ModelLoading => FailureScope::Model,
            _ => FailureScope::Provider,
        }
    }
}

/// Whether a failure of this reason cools anything down. Request-shaped failures (a 400, a prompt
/// too long, a filtered answer) say nothing about the model's health.
pub fn cools_down(reason: FailoverReason) -> bool {
    use FailoverReason as R;
    !matches!(reason, R::Format | R::ContextOverflow | R::ContentFilter | R::Refusal)
}

/// An active cooldown that covers a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub key: CooldownKey,
    pub entry: CooldownEntry,
}

/// A cooldown as shown in status and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CooldownView {
    /// `provider/model`, or `provider/*` for a provider-wide cooldown.
    pub target: String,
    pub provider: String,
    /// Empty for a provider-wide cooldown.
    pub model: String,
    pub credential: String,
    pub reason: FailoverReason,
    pub remaining: Duration,
    pub until_unix_ms: u64,
    pub failures: u32,
}

/// The shared cooldown state.
#[derive(Debug)]
pub struct CooldownBook {
    entries: Mutex<HashMap<CooldownKey, CooldownEntry>>,
    store: StateStore,
    clock: Arc<dyn Clock>,
}

impl CooldownBook {
    /// The state kept in `store`, read once.
    pub fn load(store: StateStore, clock: Arc<dyn Clock>) -> Self {
        let entries = match store.load_cooldowns() {
            Ok(rows) => rows.into_iter().collect(),
            Err(error) => {
                tracing::warn!(%error, "cooldown state could not be read; starting with none");
                HashMap::new()
            }
        };
        CooldownBook { entries: Mutex::new(entries), store, clock }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<CooldownKey, CooldownEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// The active cooldown covering `model` of `provider` with `credential`, if any: a disabled lane
    /// or auth failure first, else the one that ends last.
    pub fn blocked(&self, provider: &str, credential: &str, model: &str) -> Option<Blocked> {
        let now = self.now_ms();
        let entries = self.lock();
        let keys =
            [CooldownKey::model(provider, credential, model), CooldownKey::provider(provider, credential)];
        keys.into_iter()
            .filter_map(|key| {
                let entry = entries.get(&key).filter(|e| e.active(now))?.clone();
                Some(Blocked { key, entry })
            })
            .max_by_key(|b| (severity(b.entry.reason), b.entry.until_ms))
    }

    /// Records a failure; returns the key that is now cooling, or `None` when the reason does not
    /// cool anything down.
    pub fn record_failure(
        &self,
        failure: &Failure<'_>,
        policy: &CooldownPolicy,
    ) -> Option<(CooldownKey, CooldownEntry)> {
        if !cools_down(failure.reason) {
            return None;
        }
        let now = self.now_ms();
        let mut entries = self.lock();
        let mut scope = FailureScope::of(failure.reason, failure.unreachable);
        if scope == FailureScope::Model && sibling_cooling(&entries, failure, now) {
            scope = FailureScope::Provider;
        }
        let key = match scope {
            FailureScope::Model => CooldownKey::model(failure.provider, failure.credential, failure.model),
            FailureScope::Provider => CooldownKey::provider(failure.provider, failure.credential),
        };
        let previous = entries.get(&key).cloned();
        let entry = next_entry(previous.as_ref(), failure, policy, now);
        entries.insert(key.clone(), entry.clone());
        drop(entries);
        if let Err(error) = self.store.put_cooldown(&key, &entry) {
            tracing::warn!(%error, target = %key.label(), "cooldown could not be saved to state.db");
        }
        Some((key, entry))
    }

    /// A successful answer clears the model's and the provider's cooldowns for that credential.
    pub fn record_success(&self, provider: &str, credential: &str, model: &str) {
        let keys =
            [CooldownKey::model(provider, credential, model), CooldownKey::provider(provider, credential)];
        let mut entries = self.lock();
        let removed: Vec<CooldownKey> = keys.into_iter().filter(|k| entries.remove(k).is_some()).collect();
        drop(entries);
        for key in removed {
            if let Err(error) = self.store.delete_cooldown(&key) {
                tracing::warn!(%error, target = %key.label(), "cleared cooldown could not be removed from state.db");
            }
        }
    }

    /// Takes the half-open probe slot of `key`: granted when the window ends within `margin` and
    /// nothing was sent to the key for `throttle` (the failure that opened the window counts).
    pub fn try_probe(&self, key: &CooldownKey, throttle: Duration, margin: Duration) -> bool {
        let now = self.now_ms();
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(key) else {
            return true;
        };
        let last_contact = entry.last_probe_ms.unwrap_or(0).max(entry.last_failure_ms);
        let near_end =
            now.saturating_add(u64::try_from(margin.as_millis()).unwrap_or(u64::MAX)) >= entry.until_ms;
        if !near_end || now.saturating_sub(last_contact) < throttle.as_millis() as u64 {
            return false;
        }
        entry.last_probe_ms = Some(now);
        let entry = entry.clone();
        drop(entries);
        if let Err(error) = self.store.put_cooldown(key, &entry) {
            tracing::warn!(%error, target = %key.label(), "probe time could not be saved to state.db");
        }
        true
    }

    /// Active cooldowns, soonest-ending first.
    pub fn views(&self) -> Vec<CooldownView> {
        let now = self.now_ms();
        let mut views: Vec<CooldownView> = self
            .lock()
            .iter()
            .filter(|(_, e)| e.active(now))
            .map(|(k, e)| CooldownView {
                target: k.label(),
                provider: k.provider.clone(),
                model: k.model.clone(),
                credential: k.credential.clone(),
                reason: e.reason,
                remaining: Duration::from_millis(e.remaining_ms(now)),
                until_unix_ms: e.until_ms,
                failures: e.count,
            })
            .collect();
        views.sort_by(|a, b| a.until_unix_ms.cmp(&b.until_unix_ms).then_with(|| a.target.cmp(&b.target)));
        views
    }

    /// Drops the entries `keep` says no to (a config reload that changed a model's endpoint).
    pub fn retain(&self, keep: impl Fn(&CooldownKey) -> bool) {
        let mut entries = self.lock();
        let dropped: Vec<CooldownKey> = entries.keys().filter(|k| !keep(k)).cloned().collect();
        for key in &dropped {
            entries.remove(key);
        }
        drop(entries);
        for key in dropped {
            if let Err(error) = self.store.delete_cooldown(&key) {
                tracing::warn!(%error, target = %key.label(), "stale cooldown could not be removed from state.db");
            }
        }
    }
}

/// One failed call, as the book needs it.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    pub provider: &'a str,
    pub credential: &'a str,
    pub model: &'a str,
    pub reason: FailoverReason,
    /// What the server asked us to wait.
    pub retry_after: Option<Duration>,
    /// The server could not be reached at all.
    pub unreachable: bool,
}

/// Higher blocks harder: auth problems and disabled lanes win over transient windows.
fn severity(reason: FailoverReason) -> u8 {
    match reason {
        FailoverReason::AuthPermanent | FailoverReason::Billing => 3,
        FailoverReason::Auth => 2,
        _ => 1,
    }
}

/// Whether another model of the same provider and credential is in an active model-scoped window.
fn sibling_cooling(entries: &HashMap<CooldownKey, CooldownEntry>, failure: &Failure<'_>, now: u64) -> bool {
    entries.iter().any(|(k, e)| {
        k.provider == failure.provider
            && k.credential == failure.credential
            && !k.is_provider_wide()
            && k.model != failure.model
            && e.active(now)
    })
}

fn next_entry(
    previous: Option<&CooldownEntry>,
    failure: &Failure<'_>,
    policy: &CooldownPolicy,
    now: u64,
) -> CooldownEntry {
    let window_ms = |count: u32| {
        let ladder = policy.window(failure.reason, failure.provider, count);
        ladder.max(failure.retry_after.unwrap_or_default()).as_millis() as u64
    };
    match previous {
        // Inside an active window: keep it, unless a heavier lane takes over.
        Some(p) if p.active(now) => {
            let heavier =
                Lane::of(failure.reason) != Lane::Transient && Lane::of(p.reason) == Lane::Transient;
            if heavier {
                CooldownEntry {
                    reason: failure.reason,
                    until_ms: now + window_ms(1),
                    count: 1,
                    last_failure_ms: now,
                    last_probe_ms: None,
                }
            } else {
                CooldownEntry { last_failure_ms: now, ..p.clone() }
            }
        }
        _ => {
            let recent = previous.filter(|p| {
                now.saturating_sub(p.last_failure_ms) <= policy.failure_window.as_millis() as u64
                    && Lane::of(p.reason) == Lane::of(failure.reason)
            });
            let count = recent.map_or(0, |p| p.count) + 1;
            CooldownEntry {
                reason: failure.reason,
                until_ms: now + window_ms(count),
                count,
                last_failure_ms: now,
                last_probe_ms: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use FailoverReason as R;

    const T0: u64 = 1_700_000_000_000;

    fn book() -> (CooldownBook, ManualClock) {
        let clock = ManualClock::new(T0);
        (CooldownBook::load(StateStore::in_memory(), Arc::new(clock.clone())), clock)
    }

    fn fail<'a>(model: &'a str, reason: FailoverReason) -> Failure<'a> {
        Failure {
            provider: "lmstudio",
            credential: "none",
            model,
            reason,
            retry_after: None,
            unreachable: false,
        }
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn ladder_climbs_per_window_and_active_windows_are_immutable() {
        let (book, clock) = book();
        let policy = CooldownPolicy::default();
        let (key, first) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!(key, CooldownKey::model("lmstudio", "none", "a"));
        assert_eq!(first.until_ms, T0 + 30_000);
        // A failure inside the window changes nothing but the last-failure time.
        clock.advance(secs(10));
        let (_, same) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!((same.until_ms, same.count), (T0 + 30_000, 1));
        clock.advance(secs(25));
        let (_, second) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!((second.count, second.until_ms), (2, T0 + 35_000 + 60_000));
        clock.advance(secs(61));
        let (_, third) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!(third.until_ms - clock.now_ms(), 300_000);
        // A day later the ladder starts over.
        clock.advance(Duration::from_secs(25 * 3600));
        let (_, fresh) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!((fresh.count, fresh.until_ms - clock.now_ms()), (1, 30_000));
    }

    #[test]
    fn model_scope_then_widening_to_the_provider() {
        let (book, _) = book();
        let policy = CooldownPolicy::default();
        book.record_failure(&fail("a", R::RateLimit), &policy);
        assert!(book.blocked("lmstudio", "none", "a").is_some());
        assert!(book.blocked("lmstudio", "none", "b").is_none(), "a sibling model still runs");
        assert!(book.blocked("lmstudio", "other-key", "a").is_none(), "another credential still runs");
        let (key, _) = book.record_failure(&fail("b", R::Timeout), &policy).unwrap();
        assert!(key.is_provider_wide(), "a second model failing widens the scope");
        assert!(book.blocked("lmstudio", "none", "c").is_some());
    }

    #[test]
    fn service_wide_reasons_and_unreachable_servers_cool_the_provider() {
        let (book, _) = book();
        let policy = CooldownPolicy::default();
        let (key, _) = book.record_failure(&fail("a", R::Overloaded), &policy).unwrap();
        assert!(key.is_provider_wide());
        let (book, _) = self::book();
        let refused = Failure { unreachable: true, ..fail("a", R::Timeout) };
        assert!(book.record_failure(&refused, &policy).unwrap().0.is_provider_wide());
        assert!(book.record_failure(&fail("a", R::Format), &policy).is_none(), "a 400 cools nothing");
        assert!(book.record_failure(&fail("a", R::ContextOverflow), &policy).is_none());
    }

    #[test]
    fn retry_after_stretches_the_window_and_heavier_lanes_replace_it() {
        let (book, _) = book();
        let policy = CooldownPolicy::default();
        let slow = Failure { retry_after: Some(secs(90)), ..fail("a", R::RateLimit) };
        assert_eq!(book.record_failure(&slow, &policy).unwrap().1.until_ms, T0 + 90_000);
        let (_, billing) = book.record_failure(&fail("a", R::Billing), &policy).unwrap();
        assert_eq!(billing.reason, R::Billing);
        assert_eq!(billing.until_ms, T0 + 5 * 3600 * 1000);
    }

    #[test]
    fn one_probe_per_interval_near_the_end_of_the_window() {
        let (book, clock) = book();
        let policy = CooldownPolicy::default();
        book.record_failure(&fail("a", R::Timeout), &policy);
        book.record_failure(&fail("a", R::Timeout), &policy);
        clock.advance(secs(31));
        let (key, entry) = book.record_failure(&fail("a", R::Timeout), &policy).unwrap();
        assert_eq!(entry.count, 2); // 60 s window from T0+31
        let throttle = secs(30);
        let margin = secs(120);
        clock.advance(secs(10));
        assert!(!book.try_probe(&key, throttle, margin), "30 s after the failure that opened the window");
        clock.advance(secs(20));
        assert!(book.try_probe(&key, throttle, margin));
        assert!(!book.try_probe(&key, throttle, margin), "the slot is taken");
        clock.advance(secs(29));
        assert!(!book.try_probe(&key, throttle, margin));
        assert!(book.blocked("lmstudio", "none", "a").is_some());
        clock.advance(secs(2));
        assert!(book.blocked("lmstudio", "none", "a").is_none(), "the window ended");
    }

    #[test]
    fn success_clears_and_views_show_what_is_cooling() {
        let (book, _) = book();
        let policy = CooldownPolicy::default();
        book.record_failure(&fail("a", R::RateLimit), &policy);
        let views = book.views();
        assert_eq!(views.len(), 1);
        assert_eq!(
            (views[0].target.as_str(), views[0].reason, views[0].remaining),
            ("lmstudio/a", R::RateLimit, secs(30))
        );
        book.record_success("lmstudio", "none", "a");
        assert!(book.views().is_empty());
        assert!(book.blocked("lmstudio", "none", "a").is_none());
    }
}
