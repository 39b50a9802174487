//! Prometheus metrics kept in atomics (no lock on the hot path) and written by hand in the text
//! exposition format for `GET /metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use llm::{FailoverReason, Usage};

use crate::backend::AttemptSummary;
use crate::Dialect;

/// Statuses counted one by one; anything else is `other`.
const STATUSES: [u16; 14] = [200, 400, 401, 402, 403, 404, 408, 410, 413, 429, 500, 502, 503, 504];
const STATUS_SLOTS: usize = STATUSES.len() + 1;

/// Seconds: 10 µs … 50 ms, for the gateway's own overhead.
const OVERHEAD_BUCKETS: &[f64] =
    &[0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];
/// Seconds: 5 ms … 60 s, for upstream waits.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// A cumulative histogram over fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    counts: Box<[AtomicU64]>,
    sum_nanos: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_nanos: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, value: Duration) {
        let secs = value.as_secs_f64();
        if let Some(slot) = self.bounds.iter().position(|b| secs <= *b) {
            self.counts[slot].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_nanos.fetch_add(u64::try_from(value.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(self.counts.iter()) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}\n{name}_sum {sum}\n{name}_count {count}");
    }
}

/// Every metric the gateway exports.
#[derive(Debug)]
pub struct Metrics {
    requests: [[AtomicU64; STATUS_SLOTS]; 3],
    attempts: [AtomicU64; FailoverReason::ALL.len() + 1],
    failovers: AtomicU64,
    auth_failures: AtomicU64,
    in_flight: AtomicI64,
    /// input, output, cache_read, cache_write, reasoning.
    tokens: [AtomicU64; 5],
    cost_nano_usd: AtomicU64,
    pub ttft: Histogram,
    pub upstream_latency: Histogram,
    pub overhead: Histogram,
    pub duration: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Default::default(),
            attempts: Default::default(),
            failovers: AtomicU64::new(0),
            auth_failures: AtomicU64::new(0),
            in_flight: AtomicI64::new(0),
            tokens: Default::default(),
            cost_nano_usd: AtomicU64::new(0),
            ttft: Histogram::new(LATENCY_BUCKETS),
            upstream_latency: Histogram::new(LATENCY_BUCKETS),
            overhead: Histogram::new(OVERHEAD_BUCKETS),
            duration: Histogram::new(LATENCY_BUCKETS),
        }
    }
}

impl Metrics {
    pub fn request_started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a finished request with the status the client saw.
    pub fn request_finished(&self, dialect: Dialect, status: u16) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let slot = STATUSES.iter().position(|s| *s == status).unwrap_or(STATUSES.len());
        self.requests[dialect.index()][slot].fetch_add(1, Ordering::Relaxed);
    }

    pub fn auth_failure(&self) {
        self.auth_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts every attempt by outcome, and one failover when more than one candidate was tried.
    pub fn attempts(&self, attempts: &[AttemptSummary]) {
        for attempt in attempts {
            let slot = attempt
                .outcome
                .parse::<FailoverReason>()
                .ok()
                .and_then(|r| FailoverReason::ALL.iter().position(|x| *x == r))
                .unwrap_or(FailoverReason::ALL.len());
            self.attempts[slot].fetch_add(1, Ordering::Relaxed);
        }
        if attempts.len() > 1 {
            self.failovers.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn usage(&self, usage: &Usage, price: Option<&llm::Price>) {
        let counts = [usage.input, usage.output, usage.cache_read, usage.cache_write, usage.reasoning];
        for (total, n) in self.tokens.iter().zip(counts) {
            total.fetch_add(n, Ordering::Relaxed);
        }
        if let Some(price) = price {
            let nanos = (price.cost(usage) * 1e9).round();
            if nanos.is_finite() && nanos > 0.0 {
                self.cost_nano_usd.fetch_add(nanos as u64, Ordering::Relaxed);
            }
        }
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        out.push_str("# HELP clawgate_requests_total Client requests by dialect and HTTP status.\n");
        out.push_str("# TYPE clawgate_requests_total counter\n");
        for dialect in Dialect::ALL {
            for (slot, count) in self.requests[dialect.index()].iter().enumerate() {
                let n = count.load(Ordering::Relaxed);
                if n == 0 {
                    continue;
                }
                let status = STATUSES.get(slot).map_or("other".to_string(), u16::to_string);
                let _ = writeln!(
                    out,
                    "clawgate_requests_total{{dialect=\"{}\",status=\"{status}\"}} {n}",
                    dialect.as_str()
                );
            }
        }
        out.push_str("# HELP clawgate_requests_in_flight Requests being served.\n");
        out.push_str("# TYPE clawgate_requests_in_flight gauge\n");
        let _ = writeln!(out, "clawgate_requests_in_flight {}", self.in_flight.load(Ordering::Relaxed));
        out.push_str(
            "# HELP clawgate_attempts_total Upstream attempts by outcome (ok or failover reason).\n",
        );
        out.push_str("# TYPE clawgate_attempts_total counter\n");
        for (slot, count) in self.attempts.iter().enumerate() {
            let n = count.load(Ordering::Relaxed);
            if n > 0 {
                let outcome = FailoverReason::ALL.get(slot).map_or("ok", |r| r.as_str());
                let _ = writeln!(out, "clawgate_attempts_total{{outcome=\"{outcome}\"}} {n}");
            }
        }
        counter(
            &mut out,
            "clawgate_failovers_total",
            "Requests served after at least one failed attempt.",
            &self.failovers,
        );
        counter(
            &mut out,
            "clawgate_auth_failures_total",
            "Requests with a wrong gateway credential.",
            &self.auth_failures,
        );
        out.push_str("# HELP clawgate_tokens_total Tokens of answered requests, by kind.\n");
        out.push_str("# TYPE clawgate_tokens_total counter\n");
        for (kind, count) in
            ["input", "output", "cache_read", "cache_write", "reasoning"].iter().zip(&self.tokens)
        {
            let _ =
                writeln!(out, "clawgate_tokens_total{{kind=\"{kind}\"}} {}", count.load(Ordering::Relaxed));
        }
        out.push_str(
            "# HELP clawgate_cost_usd_total Cost of answered requests in USD, from the model prices.\n",
        );
        out.push_str("# TYPE clawgate_cost_usd_total counter\n");
        let _ = writeln!(
            out,
            "clawgate_cost_usd_total {}",
            self.cost_nano_usd.load(Ordering::Relaxed) as f64 / 1e9
        );
        self.ttft.render(
            &mut out,
            "clawgate_time_to_first_token_seconds",
            "From request to the first answer event.",
        );
        self.upstream_latency.render(
            &mut out,
            "clawgate_upstream_latency_seconds",
            "From handing the request to the backend until it accepted it (failover included).",
        );
        self.overhead.render(
            &mut out,
            "clawgate_gateway_overhead_seconds",
            "Time the gateway itself spent on a request: total minus time waiting on the backend.",
        );
        self.duration.render(
            &mut out,
            "clawgate_request_duration_seconds",
            "Whole requests, streams included.",
        );
        out
    }
}

fn counter(out: &mut String, name: &str, help: &str, value: &AtomicU64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
        value.load(Ordering::Relaxed)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let h = Histogram::new(&[0.001, 0.01]);
        h.observe(Duration::from_micros(500));
        h.observe(Duration::from_millis(5));
        h.observe(Duration::from_secs(1));
        let mut out = String::new();
        h.render(&mut out, "x", "help");
        assert!(out.contains("x_bucket{le=\"0.001\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"0.01\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("x_count 3\n"), "{out}");
    }

    #[test]
    fn requests_and_attempts_are_labelled() {
        let m = Metrics::default();
        m.request_started();
        m.request_finished(Dialect::Messages, 429);
        m.attempts(&[
            AttemptSummary::failed("a/b", FailoverReason::RateLimit, Duration::ZERO),
            AttemptSummary::ok("c/d", Duration::ZERO),
        ]);
        let text = m.render();
        assert!(text.contains("clawgate_requests_total{dialect=\"messages\",status=\"429\"} 1"), "{text}");
        assert!(text.contains("clawgate_attempts_total{outcome=\"rate_limit\"} 1"), "{text}");
        assert!(text.contains("clawgate_attempts_total{outcome=\"ok\"} 1"), "{text}");
        assert!(text.contains("clawgate_failovers_total 1"), "{text}");
    }
}
