//! Token usage as the Messages API reports it: `message_start` carries the prompt side (and an
//! early `output_tokens`), `message_delta` the cumulative output (and, on newer API versions and some
//! proxies, the prompt side again). `input_tokens` already excludes cached tokens, so it maps to
//! `Usage::input` as is; `cache_read_input_tokens` → `cache_read`, `cache_creation_input_tokens` →
//! `cache_write`. Anthropic does not count thinking tokens apart, so `reasoning` stays 0.
//!
//! A server that reports only zeros (some proxies send `"usage": {}` or nothing at all) reported
//! nothing: the shaper then estimates the usage and marks it so.

use llm::Usage;
use wire::anthropic as w;

/// Usage read so far from one answer.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct UsageReport {
    usage: Usage,
    reported: bool,
}

impl UsageReport {
    /// The usage of a `message_start` message or of a whole (non-streamed) message.
    pub(super) fn from_message(usage: &w::Usage) -> Self {
        let usage = Usage {
            input: usage.input_tokens,
            output: usage.output_tokens,
            cache_read: usage.cache_read_input_tokens.unwrap_or(0),
            cache_write: usage.cache_creation_input_tokens.unwrap_or(0),
            ..Usage::default()
        };
        UsageReport { usage, reported: usage.total() > 0 }
    }

    /// Applies a `message_delta` usage: counts are cumulative, so each one present and non-zero
    /// replaces the earlier figure.
    pub(super) fn apply_delta(&mut self, delta: &w::MessageDeltaUsage) {
        if delta.output_tokens > 0 {
            self.usage.output = delta.output_tokens;
        }
        if let Some(input) = delta.input_tokens.filter(|n| *n > 0) {
            self.usage.input = input;
        }
        if let Some(read) = delta.cache_read_input_tokens.filter(|n| *n > 0) {
            self.usage.cache_read = read;
        }
        if let Some(write) = delta.cache_creation_input_tokens.filter(|n| *n > 0) {
            self.usage.cache_write = write;
        }
        self.reported |= self.usage.total() > 0;
    }

    /// The usage, if the server reported any.
    pub(super) fn reported(&self) -> Option<Usage> {
        self.reported.then_some(self.usage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(input: u64, output: u64, read: Option<u64>, write: Option<u64>) -> w::Usage {
        w::Usage {
            input_tokens: input,
            output_tokens: output,
            cache_read_input_tokens: read,
            cache_creation_input_tokens: write,
            ..w::Usage::default()
        }
    }

    #[test]
    fn start_then_cumulative_output() {
        let mut report = UsageReport::from_message(&start(25, 1, Some(1800), Some(200)));
        report.apply_delta(&w::MessageDeltaUsage { output_tokens: 15, ..Default::default() });
        assert_eq!(
            report.reported(),
            Some(Usage { input: 25, output: 15, cache_read: 1800, cache_write: 200, ..Usage::default() })
        );
    }

    #[test]
    fn delta_prompt_counts_replace_when_present() {
        let mut report = UsageReport::from_message(&start(0, 0, None, None));
        assert_eq!(report.reported(), None);
        report.apply_delta(&w::MessageDeltaUsage {
            output_tokens: 40,
            input_tokens: Some(310),
            cache_read_input_tokens: Some(0),
            ..Default::default()
        });
        assert_eq!(report.reported(), Some(Usage { input: 310, output: 40, ..Usage::default() }));
    }

    #[test]
    fn a_zero_output_delta_keeps_the_earlier_count_and_zeros_report_nothing() {
        let mut report = UsageReport::from_message(&start(12, 3, None, None));
        report.apply_delta(&w::MessageDeltaUsage::default());
        assert_eq!(report.reported().map(|u| u.output), Some(3));
        let mut empty = UsageReport::default();
        empty.apply_delta(&w::MessageDeltaUsage::default());
        assert_eq!(empty.reported(), None);
    }
}
