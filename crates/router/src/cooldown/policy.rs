//! How long a failure cools a model or provider down (openclaw-behaviour §5.4).
//!
//! - The transient ladder: the n-th cooldown window opened within the failure window (24 h) lasts
//!   30 s, 60 s, then 5 min.
//! - The disabled lanes, for `billing` and `auth_permanent`:
//!   `min(max, max(60 s, base) · 2^min(n−1, 10))`, with OpenClaw's knobs under `auth.cooldowns`:
//!   `billingBackoffHours` (5), `billingBackoffHoursByProvider`, `billingMaxHours` (24),
//!   `authPermanentBackoffMinutes` (10), `authPermanentMaxMinutes` (60), `failureWindowHours` (24).
//! - A `Retry-After` longer than the ladder's step stretches the window to it.

use std::collections::HashMap;
use std::time::Duration;

use llm::FailoverReason;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// The transient ladder: 30 s → 60 s → 5 min (cap).
pub const TRANSIENT_LADDER: [Duration; 3] =
    [Duration::from_secs(30), Duration::from_secs(60), Duration::from_secs(300)];

/// Which kind of window a reason opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// The 30 s / 60 s / 5 min ladder.
    Transient,
    /// Billing: hours, doubling.
    Billing,
    /// A revoked or deactivated key: minutes, doubling.
    AuthPermanent,
}

impl Lane {
    pub fn of(reason: FailoverReason) -> Lane {
        match reason {
            FailoverReason::Billing => Lane::Billing,
            FailoverReason::AuthPermanent => Lane::AuthPermanent,
            _ => Lane::Transient,
        }
    }
}

/// The cooldown knobs, with OpenClaw's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct CooldownPolicy {
    pub billing_backoff: Duration,
    pub billing_backoff_by_provider: HashMap<String, Duration>,
    pub billing_max: Duration,
    pub auth_permanent_backoff: Duration,
    pub auth_permanent_max: Duration,
    /// Failure counts reset when the last failure is older than this.
    pub failure_window: Duration,
}

impl Default for CooldownPolicy {
    fn default() -> Self {
        CooldownPolicy {
            billing_backoff: 5 * HOUR,
            billing_backoff_by_provider: HashMap::new(),
            billing_max: 24 * HOUR,
            auth_permanent_backoff: 10 * MINUTE,
            auth_permanent_max: 60 * MINUTE,
            failure_window: 24 * HOUR,
        }
    }
}

impl CooldownPolicy {
    /// The knobs under `auth.cooldowns` of the config (a section clawgate reads but does not own, so
    /// it is read from the document tree); missing or invalid values keep the defaults.
    pub fn from_config(config: &config::Config) -> Self {
        let mut policy = CooldownPolicy::default();
        let Some(node) = config.tree.lookup("auth.cooldowns") else {
            return policy;
        };
        let json = node.to_json();
        let number = |key: &str| json.get(key).and_then(serde_json::Value::as_f64).filter(|v| *v > 0.0);
        let hours = |v: f64| Duration::from_secs_f64(v * 3600.0);
        let minutes = |v: f64| Duration::from_secs_f64(v * 60.0);
        if let Some(v) = number("billingBackoffHours") {
            policy.billing_backoff = hours(v);
        }
        if let Some(v) = number("billingMaxHours") {
            policy.billing_max = hours(v);
        }
        if let Some(v) = number("authPermanentBackoffMinutes") {
            policy.auth_permanent_backoff = minutes(v);
        }
        if let Some(v) = number("authPermanentMaxMinutes") {
            policy.auth_permanent_max = minutes(v);
        }
        if let Some(v) = number("failureWindowHours") {
            policy.failure_window = hours(v);
        }
        if let Some(map) = json.get("billingBackoffHoursByProvider").and_then(|m| m.as_object()) {
            for (provider, value) in map {
                if let Some(v) = value.as_f64().filter(|v| *v > 0.0) {
                    policy.billing_backoff_by_provider.insert(provider.to_ascii_lowercase(), hours(v));
                }
            }
        }
        policy
    }

    /// The window the `count`-th failure (1-based, within the failure window) opens for `reason`
    /// on `provider`.
    pub fn window(&self, reason: FailoverReason, provider: &str, count: u32) -> Duration {
        let n = count.max(1);
        match Lane::of(reason) {
            Lane::Transient => TRANSIENT_LADDER[(n as usize - 1).min(TRANSIENT_LADDER.len() - 1)],
            Lane::Billing => {
                let base =
                    self.billing_backoff_by_provider.get(provider).copied().unwrap_or(self.billing_backoff);
                disabled_lane(base, self.billing_max, n)
            }
            Lane::AuthPermanent => disabled_lane(self.auth_permanent_backoff, self.auth_permanent_max, n),
        }
    }
}

/// `min(max, max(60 s, base) · 2^min(n−1, 10))`.
fn disabled_lane(base: Duration, max: Duration, n: u32) -> Duration {
    let step = base.max(60 * SECOND);
    let factor = 1u32 << (n - 1).min(10);
    step.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use FailoverReason as R;

    #[test]
    fn transient_ladder_is_30s_60s_then_5min() {
        let p = CooldownPolicy::default();
        let secs: Vec<u64> = (1..=5).map(|n| p.window(R::RateLimit, "x", n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 300, 300, 300]);
        assert_eq!(p.window(R::Timeout, "x", 0).as_secs(), 30);
        assert_eq!(p.window(R::Overloaded, "x", 2).as_secs(), 60);
    }

    #[test]
    fn billing_and_auth_permanent_lanes_double_up_to_their_max() {
        let p = CooldownPolicy::default();
        let billing: Vec<u64> = (1..=4).map(|n| p.window(R::Billing, "x", n).as_secs() / 3600).collect();
        assert_eq!(billing, [5, 10, 20, 24]);
        let auth: Vec<u64> = (1..=4).map(|n| p.window(R::AuthPermanent, "x", n).as_secs() / 60).collect();
        assert_eq!(auth, [10, 20, 40, 60]);
    }

    #[test]
    fn per_provider_billing_base_and_the_60s_floor() {
        let mut p = CooldownPolicy::default();
        p.billing_backoff_by_provider.insert("openrouter".into(), HOUR);
        assert_eq!(p.window(R::Billing, "openrouter", 1), HOUR);
        assert_eq!(p.window(R::Billing, "anthropic", 1), 5 * HOUR);
        p.auth_permanent_backoff = SECOND;
        assert_eq!(p.window(R::AuthPermanent, "x", 1), MINUTE);
    }
}
