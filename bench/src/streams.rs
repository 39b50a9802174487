//! Streaming: time to first token, and many concurrent paced streams checked for late or dropped chunks.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::StreamExt;

use crate::target::Endpoint;

/// Counts content chunks in an SSE byte stream (OpenAI Chat dialect), across arbitrary splits.
#[derive(Default)]
struct ChunkCounter {
    line: Vec<u8>,
    done: bool,
}

impl ChunkCounter {
    /// Feeds bytes; returns how many content deltas completed in them.
    fn push(&mut self, bytes: &[u8]) -> usize {
        let mut found = 0;
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            let line = std::mem::take(&mut self.line);
            if line == b"data: [DONE]" {
                self.done = true;
            } else if line.starts_with(b"data: ") && has_content(&line) {
                found += 1;
            }
        }
        found
    }
}

fn has_content(line: &[u8]) -> bool {
    let needle = b"\"content\":\"";
    line.windows(needle.len())
        .position(|w| w == needle)
        .is_some_and(|at| line.get(at + needle.len()) != Some(&b'"'))
}

/// Time from sending a streaming request to its first content delta (the stream is then read to its end).
pub async fn time_to_first_token(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    n: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let response = endpoint.post(client, true).send().await.context("stream request failed")?;
        if !response.status().is_success() {
            bail!("{} answered {}", endpoint.name, response.status());
        }
        let mut body = response.bytes_stream();
        let mut counter = ChunkCounter::default();
        loop {
            let Some(chunk) = body.next().await else {
                bail!("{}: stream ended before a token", endpoint.name)
            };
            if counter.push(&chunk?) > 0 {
                samples.push(start.elapsed());
                break;
            }
        }
        while let Some(chunk) = body.next().await {
            chunk?;
        }
    }
    Ok(samples)
}

/// Outcome of the concurrent paced-stream run.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PacedRun {
    pub streams: usize,
    pub chunks_per_stream: usize,
    pub interval_ms: u64,
    /// Streams that completed with every chunk and `[DONE]`.
    pub complete: usize,
    /// Chunks missing from incomplete streams.
    pub dropped_chunks: usize,
    /// Chunks that arrived more than one interval after their due time.
    pub late_chunks: usize,
    /// Worst lateness seen, ms.
    pub worst_lateness_ms: f64,
    pub errors: usize,
}

/// Opens `streams` streams at once, each expected to deliver `chunks` deltas `interval` apart.
/// A chunk is late when it arrives more than one interval after `first + i × interval`.
pub async fn paced(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    streams: usize,
    chunks: usize,
    interval: Duration,
) -> PacedRun {
    let mut tasks = Vec::with_capacity(streams);
    for _ in 0..streams {
        let (client, endpoint) = (client.clone(), endpoint.clone());
        tasks.push(tokio::spawn(async move { one_paced(&client, &endpoint, interval).await }));
    }
    let mut run = PacedRun {
        streams,
        chunks_per_stream: chunks,
        interval_ms: interval.as_millis() as u64,
        complete: 0,
        dropped_chunks: 0,
        late_chunks: 0,
        worst_lateness_ms: 0.0,
        errors: 0,
    };
    for task in tasks {
        match task.await {
            Ok(Ok((received, late, worst, done))) => {
                if received == chunks && done {
                    run.complete += 1;
                }
                run.dropped_chunks += chunks.saturating_sub(received);
                run.late_chunks += late;
                run.worst_lateness_ms = run.worst_lateness_ms.max(worst);
            }
            _ => {
                run.errors += 1;
                run.dropped_chunks += chunks;
            }
        }
    }
    run
}

async fn one_paced(
    client: &reqwest::Client,
    endpoint: &Endpoint,
    interval: Duration,
) -> anyhow::Result<(usize, usize, f64, bool)> {
    let response = endpoint.post(client, true).send().await?;
    if !response.status().is_success() {
        bail!("status {}", response.status());
    }
    let mut body = response.bytes_stream();
    let mut counter = ChunkCounter::default();
    let (mut received, mut late, mut worst) = (0usize, 0usize, 0f64);
    let mut first: Option<Instant> = None;
    while let Some(bytes) = body.next().await {
        let now = Instant::now();
        for _ in 0..counter.push(&bytes?) {
            let first = *first.get_or_insert(now);
            let due = first + interval * received as u32;
            let lateness = now.saturating_duration_since(due);
            if lateness > interval {
                late += 1;
            }
            worst = worst.max(lateness.as_secs_f64() * 1e3);
            received += 1;
        }
    }
    Ok((received, late, worst, counter.done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_content_chunks_across_splits_and_sees_done() {
        let sse = b"data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n\
data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n\
data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\ndata: [DONE]\n\n";
        for split in [1, 5, 1000] {
            let mut counter = ChunkCounter::default();
            let total: usize = sse.chunks(split).map(|c| counter.push(c)).sum();
            assert_eq!(total, 2, "split {split}");
            assert!(counter.done);
        }
    }
}
