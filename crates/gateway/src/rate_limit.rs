//! `FailedAuthLimiter`: counts failed credentials per client IP and locks an address out for a while
//! once it has failed too often in one window (OpenClaw: 10 per minute, 5 minute lockout, loopback
//! exempt). Time is `tokio::time::Instant`, so tests run it in virtual time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::settings::RateLimitSettings;

/// Entries kept before stale ones are swept.
const SWEEP_AT: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Entry {
    window_start: Instant,
    failures: u32,
    locked_until: Option<Instant>,
}

/// Per-IP failure counts and lockouts.
#[derive(Debug)]
pub struct FailedAuthLimiter {
    settings: RateLimitSettings,
    entries: Mutex<HashMap<IpAddr, Entry>>,
    /// Whether any address is tracked: the common path (no failures ever) skips the lock.
    any: AtomicBool,
}

impl FailedAuthLimiter {
    pub fn new(settings: RateLimitSettings) -> Self {
        Self { settings, entries: Mutex::new(HashMap::new()), any: AtomicBool::new(false) }
    }

    fn exempt(&self, ip: IpAddr) -> bool {
        self.settings.exempt_loopback && ip.is_loopback()
    }

    /// How long `ip` is still locked out, if it is.
    pub fn locked_for(&self, ip: IpAddr) -> Option<Duration> {
        if !self.any.load(Ordering::Relaxed) || self.exempt(ip) {
            return None;
        }
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let until = entries.get(&ip)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// Records a failed credential. Returns the lockout when this failure starts one.
    pub fn record_failure(&self, ip: IpAddr) -> Option<Duration> {
        if self.exempt(ip) {
            return None;
        }
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SWEEP_AT {
            let window = self.settings.window;
            entries.retain(|_, e| {
                e.locked_until.is_some_and(|until| until > now) || now.duration_since(e.window_start) < window
            });
        }
        self.any.store(true, Ordering::Relaxed);
        let entry = entries.entry(ip).or_insert(Entry { window_start: now, failures: 0, locked_until: None });
        if entry.locked_until.is_some_and(|until| until <= now) {
            *entry = Entry { window_start: now, failures: 0, locked_until: None };
        }
        if now.duration_since(entry.window_start) >= self.settings.window {
            entry.window_start = now;
            entry.failures = 0;
        }
        entry.failures += 1;
        if entry.failures >= self.settings.max_attempts {
            entry.locked_until = Some(now + self.settings.lockout);
            return Some(self.settings.lockout);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn limiter(exempt_loopback: bool) -> FailedAuthLimiter {
        FailedAuthLimiter::new(RateLimitSettings { exempt_loopback, ..RateLimitSettings::default() })
    }

    const LAN: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 7));

    #[tokio::test(start_paused = true)]
    async fn ten_failures_in_a_minute_lock_out_for_five_minutes() {
        let l = limiter(true);
        for _ in 0..9 {
            assert_eq!(l.record_failure(LAN), None);
        }
        assert_eq!(l.locked_for(LAN), None);
        assert_eq!(l.record_failure(LAN), Some(Duration::from_secs(300)));
        assert_eq!(l.locked_for(LAN), Some(Duration::from_secs(300)));
        tokio::time::advance(Duration::from_secs(299)).await;
        assert_eq!(l.locked_for(LAN), Some(Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(l.locked_for(LAN), None);
    }

    #[tokio::test(start_paused = true)]
    async fn failures_spread_over_windows_do_not_lock() {
        let l = limiter(true);
        for _ in 0..30 {
            assert_eq!(l.record_failure(LAN), None);
            tokio::time::advance(Duration::from_secs(7)).await;
        }
        assert_eq!(l.locked_for(LAN), None);
    }

    #[tokio::test(start_paused = true)]
    async fn loopback_is_exempt_unless_configured_otherwise() {
        let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let exempt = limiter(true);
        for _ in 0..20 {
            assert_eq!(exempt.record_failure(local), None);
        }
        let strict = limiter(false);
        for _ in 0..9 {
            strict.record_failure(local);
        }
        assert!(strict.record_failure(local).is_some());
    }
}
