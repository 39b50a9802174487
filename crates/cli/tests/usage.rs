//! `clawgate usage` reads the ledger the gateway writes.

use std::process::Command;

use ledger::{AttemptRecord, Ledger, UsageRecord};
use serde_json::Value;

fn rec(
    at_ms: i64,
    answered_by: Option<&str>,
    attempts: &[&str],
    input: u64,
    output: u64,
    cost: f64,
) -> UsageRecord {
    UsageRecord {
        at_ms,
        dialect: "chat".into(),
        requested: "Local".into(),
        answered_by: answered_by.map(str::to_owned),
        attempts: attempts
            .iter()
            .map(|m| AttemptRecord { model: m.to_string(), outcome: "ok".into(), ms: 5 })
            .collect(),
        status: 200,
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        estimated: answered_by == Some("lmstudio/qwen3-8b"),
        cost_usd: cost,
        duration_ms: 40,
    }
}

fn usage(state: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clawgate"))
        .arg("usage")
        .args(args)
        .env_clear()
        .env("HOME", state)
        .env("CLAWGATE_STATE_DIR", state)
        .output()
        .unwrap()
}

#[test]
fn reports_totals_by_provider_and_model() {
    let dir = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let mut ledger = Ledger::open(&dir.path().join("state.db")).unwrap();
    ledger
        .insert_batch(&[
            rec(now - 1000, Some("lmstudio/qwen3-8b"), &["lmstudio/qwen3-8b"], 100, 10, 0.0),
            rec(
                now - 900,
                Some("anthropic/claude-sonnet-4-5"),
                &["lmstudio/qwen3-8b", "anthropic/claude-sonnet-4-5"],
                200,
                20,
                0.0036,
            ),
            rec(
                now - 10 * 86_400_000,
                Some("anthropic/claude-sonnet-4-5"),
                &["anthropic/claude-sonnet-4-5"],
                50,
                5,
                0.001,
            ),
        ])
        .unwrap();

    let out = usage(dir.path(), &["--by", "provider", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["key"], "anthropic");
    assert_eq!(rows[0]["requests"], 2);
    assert_eq!(rows[0]["failovers"], 1);
    assert_eq!(rows[1]["key"], "lmstudio");
    assert_eq!(rows[1]["estimated"], 1);

    let out = usage(dir.path(), &["--since", "7d"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("anthropic/claude-sonnet-4-5"), "{text}");
    assert!(text.contains("2 requests, $0.0036 in total."), "{text}");
    assert!(text.contains("estimates"), "{text}");
}

#[test]
fn says_plainly_when_nothing_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let out = usage(dir.path(), &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("No usage recorded yet"));
    let bad = usage(dir.path(), &["--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("30m, 12h, 7d"));
}
