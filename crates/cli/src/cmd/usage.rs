//! `clawgate usage`: what the gateway's requests cost, from the usage ledger in state.db.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context as _};
use clap::{Args, ValueEnum};
use ledger::{GroupBy, Ledger, UsageQuery};
use serde_json::json;

use crate::context::Context;

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Model,
    Provider,
    Day,
}

#[derive(Args)]
pub struct UsageArgs {
    /// Only requests since this long ago (`30m`, `12h`, `7d`) or this UTC date (`2026-11-01`).
    #[arg(long)]
    since: Option<String>,
    /// Group by the model that answered, its provider, or the UTC day.
    #[arg(long, value_enum, default_value = "model")]
    by: By,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: UsageArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let path = config::loader::state_dir(&ctx.env).join("state.db");
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let since_ms = args.since.as_deref().map(|s| parse_since(s, now_ms)).transpose()?;
    if !path.exists() {
        if args.json {
            println!("{}", json!({ "rows": [], "ledger": path.display().to_string() }));
        } else {
            println!("No usage recorded yet ({} does not exist). Requests through `clawgate gateway` are recorded there.", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let ledger = Ledger::open(&path)?;
    let by = match args.by {
        By::Model => GroupBy::Model,
        By::Provider => GroupBy::Provider,
        By::Day => GroupBy::Day,
    };
    let rows = ledger.summary(UsageQuery { since_ms, by })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&json!({ "rows": rows }))?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("No requests in that period.");
        return Ok(ExitCode::SUCCESS);
    }
    let header = match args.by {
        By::Model => "Model",
        By::Provider => "Provider",
        By::Day => "Day",
    };
    let mut table = Vec::new();
    let (mut requests, mut cost) = (0, 0.0);
    for r in &rows {
        requests += r.requests;
        cost += r.cost_usd;
        table.push(vec![
            r.key.clone(),
            r.requests.to_string(),
            r.failed.to_string(),
            r.failovers.to_string(),
            r.input_tokens.to_string(),
            r.output_tokens.to_string(),
            format!("{:.4}", r.cost_usd),
        ]);
    }
    print!(
        "{}",
        crate::table::render(
            &[header, "Requests", "Failed", "Failovers", "Input", "Output", "Cost (USD)"],
            &table
        )
    );
    println!("{requests} requests, ${cost:.4} in total.");
    if rows.iter().any(|r| r.estimated > 0) {
        println!("Some token counts are estimates: those servers sent no usage.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `30m`, `12h`, `7d`, `2w` ago, or a `YYYY-MM-DD` UTC date, as unix milliseconds.
fn parse_since(s: &str, now_ms: i64) -> anyhow::Result<i64> {
    let s = s.trim();
    if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-').context("a date is written YYYY-MM-DD")?;
        let (y, m, d): (i64, i64, i64) = (y.parse()?, m.parse()?, d.parse()?);
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            bail!("--since {s:?}: not a valid date; write YYYY-MM-DD");
        }
        return Ok(days_from_civil(y, m, d) * 86_400_000);
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 =
        n.parse().with_context(|| format!("--since {s:?}: use 30m, 12h, 7d, 2w or a date YYYY-MM-DD"))?;
    let unit_ms = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => bail!("--since {s:?}: the unit must be m, h, d or w (e.g. 7d)"),
    };
    Ok(now_ms - n * unit_ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_durations_and_dates() {
        let now = 1_795_478_400_000; // 2026-11-24
        assert_eq!(parse_since("2d", now).unwrap(), now - 2 * 86_400_000);
        assert_eq!(parse_since("30m", now).unwrap(), now - 30 * 60_000);
        assert_eq!(parse_since("2026-11-24", now).unwrap(), now);
        assert_eq!(ledger::day_of(parse_since("2000-02-29", now).unwrap()), "2000-02-29");
        assert!(parse_since("7 days", now).is_err());
        assert!(parse_since("2026-13-01", now).is_err());
    }
}
