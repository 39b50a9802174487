//! The benchmark's results: a JSON file and a short markdown table.

use serde::Serialize;

use crate::load::Throughput;
use crate::stats::Summary;
use crate::streams::PacedRun;

#[derive(Debug, Serialize)]
pub struct Pair<T> {
    pub direct: T,
    pub gateway: T,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub machine: String,
    pub gateway_ready_ms: f64,
    pub latency_c1: Pair<Summary>,
    pub added_p50_us: f64,
    pub added_p99_us: f64,
    pub throughput: Vec<Pair<Throughput>>,
    pub ttft: Pair<Summary>,
    pub added_ttft_p50_us: f64,
    pub added_ttft_p99_us: f64,
    pub paced: Pair<PacedRun>,
    pub rss_idle_kib: u64,
    pub rss_peak_kib: u64,
    /// The gateway's own time per request (its `clawgate_gateway_overhead_seconds` histogram: total
    /// minus time waiting on the backend), as bucket upper bounds.
    pub own_overhead_p50_us: Option<f64>,
    pub own_overhead_p99_us: Option<f64>,
}

impl Report {
    pub fn markdown(&self) -> String {
        let mib = |kib: u64| kib as f64 / 1024.0;
        let mut md = String::new();
        md.push_str(&format!("# clawgate gateway benchmark\n\nMachine: {}\n\n", self.machine));
        md.push_str("| measure | direct | through gateway | added |\n|---|---|---|---|\n");
        md.push_str(&format!(
            "| latency c=1 p50 | {:.0} µs | {:.0} µs | **{:.0} µs** |\n",
            self.latency_c1.direct.p50_us, self.latency_c1.gateway.p50_us, self.added_p50_us
        ));
        md.push_str(&format!(
            "| latency c=1 p99 | {:.0} µs | {:.0} µs | **{:.0} µs** |\n",
            self.latency_c1.direct.p99_us, self.latency_c1.gateway.p99_us, self.added_p99_us
        ));
        for t in &self.throughput {
            md.push_str(&format!(
                "| throughput c={} | {:.0} req/s | {:.0} req/s | ratio {:.2} |\n",
                t.direct.concurrency,
                t.direct.rps,
                t.gateway.rps,
                t.gateway.rps / t.direct.rps.max(1e-9)
            ));
        }
        md.push_str(&format!(
            "| time to first token p50 | {:.0} µs | {:.0} µs | **{:.0} µs** |\n",
            self.ttft.direct.p50_us, self.ttft.gateway.p50_us, self.added_ttft_p50_us
        ));
        md.push_str(&format!(
            "| time to first token p99 | {:.0} µs | {:.0} µs | **{:.0} µs** |\n",
            self.ttft.direct.p99_us, self.ttft.gateway.p99_us, self.added_ttft_p99_us
        ));
        let p = |r: &PacedRun| {
            format!(
                "{}/{} complete, {} late, {} dropped, worst +{:.1} ms",
                r.complete, r.streams, r.late_chunks, r.dropped_chunks, r.worst_lateness_ms
            )
        };
        md.push_str(&format!(
            "| {} paced streams | {} | {} | |\n",
            self.paced.gateway.streams,
            p(&self.paced.direct),
            p(&self.paced.gateway)
        ));
        md.push_str(&format!(
            "\nGateway RSS: idle {:.1} MiB, peak {:.1} MiB (during the paced streams). Ready {:.0} ms after spawn.\n",
            mib(self.rss_idle_kib),
            mib(self.rss_peak_kib),
            self.gateway_ready_ms
        ));
        if let (Some(p50), Some(p99)) = (self.own_overhead_p50_us, self.own_overhead_p99_us) {
            md.push_str(&format!(
                "Gateway's own time per request (its overhead histogram, bucket bounds): p50 ≤ {p50:.0} µs, p99 ≤ {p99:.0} µs.\n"
            ));
        }
        md
    }
}
