//! The retry policy, as pure functions of what happened and what is left:
//! - one same-model retry for `rate_limit` / `overloaded`, after the server's `Retry-After` when it
//!   fits (capped tighter while a fallback is available), else after a jittered backoff;
//! - never a same-model retry for anything else (a 400 in particular);
//! - the whole-chain retry when every candidate failed only with `overloaded`: 2.5 s doubling to
//!   30 s, jittered, at most 10 times, only before any output;
//! - a cold local model polled (1 s doubling to 5 s) while it loads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use llm::FailoverReason;

use crate::options::RouterOptions;

/// A cheap, lock-free source of jitter (splitmix64). Not for anything secret.
#[derive(Debug)]
pub struct Jitter(AtomicU64);

impl Jitter {
    pub fn new(seed: u64) -> Self {
        Jitter(AtomicU64::new(seed))
    }

    /// Seeded from the wall clock and the address of a stack value.
    pub fn from_entropy() -> Self {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let local = 0u8;
        Jitter::new(t ^ (&local as *const u8 as u64).rotate_left(32))
    }

    /// A number in `[0, 1)`.
    pub fn unit(&self) -> f64 {
        let mut z =
            self.0.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `d` scaled by a factor in `[1 − spread, 1 + spread)`.
    pub fn spread(&self, d: Duration, spread: f64) -> Duration {
        d.mul_f64(1.0 - spread + 2.0 * spread * self.unit())
    }
}

/// The wait before the one same-model retry, or `None` to move on to the next model now.
///
/// `retry_after`: what the server asked; `remaining`: the request's budget left; `fallback_left`:
/// another candidate can still be tried.
pub fn same_model_retry(
    reason: FailoverReason,
    retry_after: Option<Duration>,
    remaining: Duration,
    fallback_left: bool,
    options: &RouterOptions,
    jitter: &Jitter,
) -> Option<Duration> {
    if !matches!(reason, FailoverReason::RateLimit | FailoverReason::Overloaded) {
        return None;
    }
    let wait = match retry_after {
        Some(asked) => {
            let cap =
                if fallback_left { options.retry_after_cap_with_fallback } else { options.retry_after_cap };
            if asked > cap {
                return None;
            }
            asked
        }
        None => jitter.spread(options.retry_backoff, 0.5),
    };
    (wait < remaining).then_some(wait)
}

/// The wait before whole-chain retry number `pass` (0-based), or `None` when no retry is left or
/// it would not fit the budget.
pub fn overload_chain_retry(
    pass: u32,
    remaining: Duration,
    options: &RouterOptions,
    jitter: &Jitter,
) -> Option<Duration> {
    if pass >= options.overload_chain_retries {
        return None;
    }
    let base =
        options.overload_backoff.saturating_mul(1u32 << pass.min(16)).min(options.overload_backoff_cap);
    let wait = jitter.spread(base, 0.2);
    (wait < remaining).then_some(wait)
}

/// The wait before polling a loading model again (`polls` done so far).
pub fn loading_poll(polls: u32, options: &RouterOptions) -> Duration {
    options.loading_poll.saturating_mul(1u32 << polls.min(16)).min(options.loading_poll_cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use FailoverReason as R;

    const MIN: Duration = Duration::from_secs(60);

    fn o() -> RouterOptions {
        RouterOptions::default()
    }

    #[test]
    fn only_rate_limit_and_overload_get_a_same_model_retry() {
        let j = Jitter::new(1);
        for reason in [R::Format, R::Timeout, R::ContentFilter, R::ContextOverflow, R::Auth, R::ServerError] {
            assert_eq!(same_model_retry(reason, None, MIN, true, &o(), &j), None, "{reason}");
        }
        assert!(same_model_retry(R::RateLimit, None, MIN, true, &o(), &j).is_some());
        assert!(same_model_retry(R::Overloaded, None, MIN, false, &o(), &j).is_some());
    }

    #[test]
    fn retry_after_is_honoured_when_it_fits_and_is_capped() {
        let j = Jitter::new(1);
        let s = Duration::from_secs;
        assert_eq!(same_model_retry(R::RateLimit, Some(s(2)), MIN, true, &o(), &j), Some(s(2)));
        // Longer than the cap while a fallback is left: move on.
        assert_eq!(same_model_retry(R::RateLimit, Some(s(30)), MIN, true, &o(), &j), None);
        // Last candidate: wait up to 60 s, if the budget allows.
        assert_eq!(same_model_retry(R::RateLimit, Some(s(30)), MIN, false, &o(), &j), Some(s(30)));
        assert_eq!(same_model_retry(R::RateLimit, Some(s(30)), s(20), false, &o(), &j), None);
        assert_eq!(same_model_retry(R::RateLimit, Some(s(90)), s(600), false, &o(), &j), None);
    }

    #[test]
    fn backoff_is_jittered_within_half_either_side() {
        let j = Jitter::new(7);
        let waits: Vec<Duration> =
            (0..200).filter_map(|_| same_model_retry(R::RateLimit, None, MIN, true, &o(), &j)).collect();
        assert_eq!(waits.len(), 200);
        assert!(waits.iter().all(|w| *w >= Duration::from_millis(250) && *w < Duration::from_millis(750)));
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(distinct.len() > 100, "jitter spreads the waits");
    }

    #[test]
    fn overload_chain_retry_doubles_to_30s_ten_times() {
        let j = Jitter::new(3);
        let long = Duration::from_secs(3600);
        let waits: Vec<f64> =
            (0..12).map_while(|p| overload_chain_retry(p, long, &o(), &j)).map(|d| d.as_secs_f64()).collect();
        assert_eq!(waits.len(), 10);
        let bases = [2.5, 5.0, 10.0, 20.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0];
        for (w, b) in waits.iter().zip(bases) {
            assert!(*w >= b * 0.8 && *w < b * 1.2, "{w} vs {b}");
        }
        assert_eq!(overload_chain_retry(0, Duration::from_secs(1), &o(), &j), None);
    }

    #[test]
    fn loading_polls_double_up_to_the_cap() {
        let polls: Vec<u64> = (0..5).map(|n| loading_poll(n, &o()).as_secs()).collect();
        assert_eq!(polls, [1, 2, 4, 5, 5]);
    }
}
