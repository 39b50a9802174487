//! The ledger: records survive a reopen, summaries add up per group, and a full queue drops (and
//! counts) instead of blocking.

use ledger::{day_of, AttemptRecord, GroupBy, Ledger, LedgerWriter, UsageQuery, UsageRecord};

fn record(
    at_ms: i64,
    answered_by: Option<&str>,
    attempts: usize,
    input: u64,
    output: u64,
    cost: f64,
) -> UsageRecord {
    UsageRecord {
        at_ms,
        dialect: "chat".into(),
        requested: "Local".into(),
        answered_by: answered_by.map(str::to_owned),
        attempts: (0..attempts)
            .map(|i| AttemptRecord { model: format!("m{i}"), outcome: "ok".into(), ms: 3 })
            .collect(),
        status: if answered_by.is_some() { 200 } else { 503 },
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        estimated: false,
        cost_usd: cost,
        duration_ms: 12,
    }
}

const DAY: i64 = 86_400_000;
// 2026-11-24T00:00:00Z
const NOV_24: i64 = 1_795_478_400_000;

#[test]
fn writes_through_the_background_writer_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let writer = LedgerWriter::start(Ledger::open(&path).unwrap(), 1024);
    let sender = writer.sender();
    sender.record(record(NOV_24, Some("lmstudio/qwen3"), 1, 100, 20, 0.0));
    sender.record(record(NOV_24 + 1000, Some("anthropic/claude-sonnet-4-5"), 2, 300, 50, 0.0042));
    sender.record(record(NOV_24 + DAY, None, 3, 0, 0, 0.0));
    drop(sender);
    writer.close();

    let reopened = Ledger::open(&path).unwrap();
    let all = reopened.records(None).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].attempts.len(), 2);
    assert_eq!(all[1].answered_by.as_deref(), Some("anthropic/claude-sonnet-4-5"));

    let by_provider = reopened.summary(UsageQuery { since_ms: None, by: GroupBy::Provider }).unwrap();
    let keys: Vec<_> = by_provider.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["(failed)", "anthropic", "lmstudio"]);
    let anthropic = &by_provider[1];
    assert_eq!(
        (anthropic.requests, anthropic.failovers, anthropic.input_tokens, anthropic.output_tokens),
        (1, 1, 300, 50)
    );
    assert!((anthropic.cost_usd - 0.0042).abs() < 1e-12);

    let by_day = reopened.summary(UsageQuery { since_ms: None, by: GroupBy::Day }).unwrap();
    assert_eq!(
        by_day.iter().map(|r| (r.key.as_str(), r.requests, r.failed)).collect::<Vec<_>>(),
        [("2026-11-24", 2, 0), ("2026-11-25", 1, 1)]
    );

    let since = reopened.summary(UsageQuery { since_ms: Some(NOV_24 + DAY), by: GroupBy::Model }).unwrap();
    assert_eq!(since.len(), 1);
    assert_eq!(since[0].key, "(failed)");
}

#[test]
fn a_full_queue_drops_and_counts_instead_of_blocking() {
    // A writer stuck on a locked database cannot drain; the queue of 4 fills and the rest are dropped.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let blocker = rusqlite_lock(&path);
    let writer = LedgerWriter::start(Ledger::open(&path).unwrap(), 4);
    let sender = writer.sender();
    // One record, then wait past the writer's flush interval: it is now stuck on the locked database.
    sender.record(record(NOV_24, Some("a/b"), 1, 1, 1, 0.0));
    std::thread::sleep(std::time::Duration::from_millis(400));
    let start = std::time::Instant::now();
    for i in 0..100 {
        sender.record(record(NOV_24 + i, Some("a/b"), 1, 1, 1, 0.0));
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(1), "record() must never wait");
    assert!(sender.dropped() >= 90, "dropped {}", sender.dropped());
    drop(blocker);
    drop(sender);
    writer.close();
    let kept = Ledger::open(&path).unwrap().records(None).unwrap().len() as u64;
    assert!(kept <= 11, "kept {kept}");
}

/// Holds an exclusive lock on the database so the writer's first batch waits.
fn rusqlite_lock(path: &std::path::Path) -> LockGuard {
    let ledger = Ledger::open(path).unwrap();
    drop(ledger);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let path = path.to_owned();
    let thread = std::thread::spawn(move || {
        let conn = ledger_test_conn(&path);
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        ready_tx.send(()).unwrap();
        let _ = rx.recv();
        conn.execute_batch("COMMIT").unwrap();
    });
    ready_rx.recv().unwrap();
    LockGuard { tx: Some(tx), thread: Some(thread) }
}

fn ledger_test_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

struct LockGuard {
    tx: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn days_are_utc_calendar_days() {
    assert_eq!(day_of(0), "1970-01-01");
    assert_eq!(day_of(NOV_24), "2026-11-24");
    assert_eq!(day_of(NOV_24 - 1), "2026-11-23");
    assert_eq!(day_of(951_782_400_000), "2000-02-29");
}
