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

/// p50 and p99 (as bucket upper bounds, seconds) of a Prometheus histogram in exposition text,
/// summed over all its label sets.
pub fn histogram_quantiles(text: &str, name: &str) -> Option<(f64, f64)> {
    let prefix = format!("{name}_bucket");
    let mut buckets: Vec<(f64, f64)> = Vec::new();
    for line in text.lines().filter(|l| l.starts_with(&prefix)) {
        let le = line.split("le=\"").nth(1)?.split('"').next()?;
        let bound = if le == "+Inf" { f64::INFINITY } else { le.parse().ok()? };
        let count: f64 = line.rsplit(' ').next()?.parse().ok()?;
        match buckets.iter_mut().find(|(b, _)| *b == bound) {
            Some((_, c)) => *c += count,
            None => buckets.push((bound, count)),
        }
    }
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total = buckets.last()?.1;
    if total == 0.0 {
        return None;
    }
    let at = |q: f64| buckets.iter().find(|(_, c)| *c >= q * total).map(|(b, _)| *b);
    Some((at(0.5)?, at(0.99)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_read_cumulative_buckets() {
        let text = "# TYPE x histogram\nx_bucket{le=\"0.00001\"} 10\nx_bucket{le=\"0.0001\"} 95\nx_bucket{le=\"0.001\"} 100\nx_bucket{le=\"+Inf\"} 100\nx_sum 0.01\nx_count 100\n";
        assert_eq!(histogram_quantiles(text, "x"), Some((0.0001, 0.001)));
        assert_eq!(histogram_quantiles("", "x"), None);
    }

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
