//! The ledger's SQLite file: schema, batched inserts, and reads.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::record::UsageRecord;

/// A ledger problem, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot open the usage ledger at {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("usage ledger query failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot create the state directory {path}: {source}")]
    Dir {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The usage table in `state.db`.
pub struct Ledger {
    pub(crate) conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS usage (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    dialect TEXT NOT NULL,
    requested TEXT NOT NULL,
    answered_by TEXT,
    provider TEXT,
    attempts TEXT NOT NULL,
    status INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    estimated INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_at ON usage(at_ms);
";

impl Ledger {
    /// Opens (creating if needed) the ledger in the SQLite file at `path`.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| LedgerError::Dir { path: dir.display().to_string(), source })?;
        }
        let open = || -> rusqlite::Result<Connection> {
            let conn = Connection::open(path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.execute_batch(SCHEMA)?;
            Ok(conn)
        };
        let conn = open().map_err(|source| LedgerError::Open { path: path.display().to_string(), source })?;
        Ok(Ledger { conn })
    }

    /// An in-memory ledger (tests).
    pub fn in_memory() -> Result<Ledger, LedgerError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        Ok(Ledger { conn })
    }

    /// Inserts records in one transaction.
    pub fn insert_batch(&mut self, records: &[UsageRecord]) -> Result<(), LedgerError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO usage (at_ms, dialect, requested, answered_by, provider, attempts, status,
                    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
                    estimated, cost_usd, duration_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            for r in records {
                let attempts = serde_json::to_string(&r.attempts).unwrap_or_else(|_| "[]".into());
                insert.execute(params![
                    r.at_ms,
                    r.dialect,
                    r.requested,
                    r.answered_by,
                    r.provider(),
                    attempts,
                    r.status,
                    r.input_tokens as i64,
                    r.output_tokens as i64,
                    r.cache_read_tokens as i64,
                    r.cache_write_tokens as i64,
                    r.reasoning_tokens as i64,
                    r.estimated,
                    r.cost_usd,
                    r.duration_ms as i64,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every record since `since_ms` (inclusive), oldest first.
    pub fn records(&self, since_ms: Option<i64>) -> Result<Vec<UsageRecord>, LedgerError> {
        let mut stmt = self.conn.prepare(
            "SELECT at_ms, dialect, requested, answered_by, attempts, status, input_tokens, output_tokens,
                    cache_read_tokens, cache_write_tokens, reasoning_tokens, estimated, cost_usd, duration_ms
             FROM usage WHERE at_ms >= ?1 ORDER BY at_ms, id",
        )?;
        let rows = stmt.query_map([since_ms.unwrap_or(i64::MIN)], |row| {
            let attempts: String = row.get(4)?;
            Ok(UsageRecord {
                at_ms: row.get(0)?,
                dialect: row.get(1)?,
                requested: row.get(2)?,
                answered_by: row.get(3)?,
                attempts: serde_json::from_str(&attempts).unwrap_or_default(),
                status: row.get(5)?,
                input_tokens: row.get::<_, i64>(6)? as u64,
                output_tokens: row.get::<_, i64>(7)? as u64,
                cache_read_tokens: row.get::<_, i64>(8)? as u64,
                cache_write_tokens: row.get::<_, i64>(9)? as u64,
                reasoning_tokens: row.get::<_, i64>(10)? as u64,
                estimated: row.get(11)?,
                cost_usd: row.get(12)?,
                duration_ms: row.get::<_, i64>(13)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
