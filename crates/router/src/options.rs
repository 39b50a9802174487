//! [`RouterOptions`]: the router's timing knobs (deadlines, retries, probes, discovery), with defaults from OpenClaw where it has one.

use std::time::Duration;

/// Timing of deadlines, retries and probes.
#[derive(Debug, Clone, PartialEq)]
pub struct RouterOptions {
    /// Headers, first-token and idle deadline of a self-hosted model without `timeoutSeconds` (300 s).
    pub local_timeout: Duration,
    /// The same for a hosted model (120 s).
    pub hosted_timeout: Duration,
    /// The whole request, every attempt and wait included, when `agents.defaults.timeoutSeconds` is
    /// not set (10 min).
    pub request_budget: Duration,
    /// The longest `Retry-After` waited for on the same model when no other model is left (60 s).
    pub retry_after_cap: Duration,
    /// The same when a fallback is still available (5 s): failing over beats waiting.
    pub retry_after_cap_with_fallback: Duration,
    /// The backoff before the same-model retry when the server gave no `Retry-After` (±50 % jitter).
    pub retry_backoff: Duration,
    /// Whole-chain retries when every candidate failed only with `overloaded` (10).
    pub overload_chain_retries: u32,
    /// First wait of the whole-chain retry (2.5 s), doubling up to [`Self::overload_backoff_cap`].
    pub overload_backoff: Duration,
    pub overload_backoff_cap: Duration,
    /// Spacing of the half-open probes of a cooling model (30 s).
    pub probe_interval: Duration,
    /// Probes are let through only this close to the window's end (2 min).
    pub probe_margin: Duration,
    /// When every candidate is cooling down, wait at most this long for the soonest one (60 s).
    pub max_cooldown_wait: Duration,
    /// First poll interval while a local server loads the model (1 s, doubling up to 5 s).
    pub loading_poll: Duration,
    pub loading_poll_cap: Duration,
    /// How long a local server's report (context window, loaded state) is used before it is asked
    /// again (30 s); a stale report is used while one background discovery replaces it.
    pub discovery_ttl: Duration,
    /// The longest a request waits for a server's first report (1 s, counted from the start of that
    /// discovery); without one in time it goes on with the config as written.
    pub discovery_wait: Duration,
}

impl Default for RouterOptions {
    fn default() -> Self {
        RouterOptions {
            local_timeout: Duration::from_secs(300),
            hosted_timeout: Duration::from_secs(120),
            request_budget: Duration::from_secs(600),
            retry_after_cap: Duration::from_secs(60),
            retry_after_cap_with_fallback: Duration::from_secs(5),
            retry_backoff: Duration::from_millis(500),
            overload_chain_retries: 10,
            overload_backoff: Duration::from_millis(2500),
            overload_backoff_cap: Duration::from_secs(30),
            probe_interval: Duration::from_secs(30),
            probe_margin: Duration::from_secs(120),
            max_cooldown_wait: Duration::from_secs(60),
            loading_poll: Duration::from_secs(1),
            loading_poll_cap: Duration::from_secs(5),
            discovery_ttl: Duration::from_secs(30),
            discovery_wait: Duration::from_secs(1),
        }
    }
}
