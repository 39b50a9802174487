//! Request/response load: latency at concurrency 1 and throughput at higher concurrency.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::target::Endpoint;

/// Sends `n` non-streaming requests one after another; returns each one's latency (headers + body).
pub async fn sequential(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    n: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let response = endpoint.post(client, false).send().await.context("request failed")?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            bail!("{} answered {status}: {}", endpoint.name, String::from_utf8_lossy(&body));
        }
        samples.push(start.elapsed());
    }
    Ok(samples)
}

/// Throughput result at one concurrency.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Throughput {
    pub concurrency: usize,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub rps: f64,
}

/// Runs `concurrency` workers sending requests back to back for `duration`.
pub async fn throughput(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    concurrency: usize,
    duration: Duration,
) -> Throughput {
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, endpoint) = (client.clone(), endpoint.clone());
        let (done, errors, stop) = (done.clone(), errors.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let ok = match endpoint.post(&client, false).send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok { &done } else { &errors }.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        let _ = worker.await;
    }
    let seconds = start.elapsed().as_secs_f64();
    let requests = done.load(Ordering::Relaxed);
    Throughput {
        concurrency,
        requests,
        errors: errors.load(Ordering::Relaxed),
        seconds,
        rps: requests as f64 / seconds,
    }
}
