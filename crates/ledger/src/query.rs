//! Summaries of the ledger for `clawgate usage`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::record::UsageRecord;
use crate::store::{Ledger, LedgerError};

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The model that answered (`provider/model`), or `(failed)`.
    Model,
    Provider,
    /// UTC day, `YYYY-MM-DD`.
    Day,
}

/// What to summarise.
#[derive(Debug, Clone, Copy)]
pub struct UsageQuery {
    pub since_ms: Option<i64>,
    pub by: GroupBy,
}

/// One group's totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UsageRow {
    pub key: String,
    pub requests: u64,
    /// Requests no model answered.
    pub failed: u64,
    /// Requests answered by a fallback (more than one attempt).
    pub failovers: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    /// Requests whose tokens were estimated.
    pub estimated: u64,
    pub cost_usd: f64,
}

impl Ledger {
    /// Totals per group, sorted by key.
    pub fn summary(&self, query: UsageQuery) -> Result<Vec<UsageRow>, LedgerError> {
        Ok(summarise(&self.records(query.since_ms)?, query.by))
    }
}

/// Groups records and adds them up.
pub fn summarise(records: &[UsageRecord], by: GroupBy) -> Vec<UsageRow> {
    let mut groups: BTreeMap<String, UsageRow> = BTreeMap::new();
    for r in records {
        let key = match by {
            GroupBy::Model => r.answered_by.clone().unwrap_or_else(|| "(failed)".into()),
            GroupBy::Provider => r.provider().unwrap_or("(failed)").to_owned(),
            GroupBy::Day => day_of(r.at_ms),
        };
        let row = groups.entry(key.clone()).or_insert_with(|| UsageRow { key, ..UsageRow::default() });
        row.requests += 1;
        row.failed += u64::from(r.answered_by.is_none());
        row.failovers += u64::from(r.answered_by.is_some() && r.attempts.len() > 1);
        row.input_tokens += r.input_tokens;
        row.output_tokens += r.output_tokens;
        row.cache_read_tokens += r.cache_read_tokens;
        row.estimated += u64::from(r.estimated);
        row.cost_usd += r.cost_usd;
    }
    groups.into_values().collect()
}

/// `YYYY-MM-DD` (UTC) of a unix-millisecond time (civil-from-days, Howard Hinnant's algorithm).
pub fn day_of(at_ms: i64) -> String {
    let days = at_ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
