//! Percentiles of latency samples.

use std::time::Duration;

use serde::Serialize;

/// Summary of a set of durations, in microseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    pub count: usize,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

impl Summary {
    pub fn of(samples: &mut [Duration]) -> Summary {
        samples.sort_unstable();
        let pick = |q: f64| -> f64 {
            if samples.is_empty() {
                return 0.0;
            }
            let rank = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[rank].as_secs_f64() * 1e6
        };
        Summary {
            count: samples.len(),
            p50_us: pick(0.50),
            p90_us: pick(0.90),
            p99_us: pick(0.99),
            max_us: samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_by_rank() {
        let mut v: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        let s = Summary::of(&mut v);
        assert_eq!(s.count, 100);
        assert_eq!(s.p50_us, 51.0);
        assert_eq!(s.p99_us, 99.0);
        assert_eq!(s.max_us, 100.0);
    }
}
