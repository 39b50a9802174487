//! [`StateStore`]: clawgate's `state.db` (SQLite, WAL), the router's part of it — the `cooldowns`
//! table, one row per cooling model or provider, times in unix milliseconds. Other layers add their
//! own tables to the same file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use llm::FailoverReason;
use rusqlite::{params, Connection};

use crate::cooldown::{CooldownEntry, CooldownKey};

/// A problem with `state.db`.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot create the state directory {path}: {source}; create it or set CLAWGATE_STATE_DIR to a writable directory")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the state database {path}: {source}; check its permissions, or move it aside to start fresh")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("state database query failed: {0}")]
    Query(#[from] rusqlite::Error),
}

/// A handle on `state.db`. Cheap to clone; clones share one connection.
#[derive(Debug, Clone)]
pub struct StateStore {
    conn: Arc<Mutex<Connection>>,
    path: Option<PathBuf>,
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS cooldowns (
    provider TEXT NOT NULL,
    credential TEXT NOT NULL,
    model TEXT NOT NULL,
    reason TEXT NOT NULL,
    until_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL,
    last_probe_ms INTEGER,
    PRIMARY KEY (provider, credential, model)
)";

impl StateStore {
    /// Opens (or creates) the database at `path`, creating its directory, in WAL mode.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StateError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StateError::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let open_err = |source| StateError::Open { path: path.clone(), source };
        let conn = Connection::open(&path).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(2)).map_err(open_err)?;
        conn.execute_batch(SCHEMA).map_err(open_err)?;
        Ok(StateStore { conn: Arc::new(Mutex::new(conn)), path: Some(path) })
    }

    /// A private in-memory database (tests, `--no-state`).
    pub fn in_memory() -> Self {
        let conn = Connection::open_in_memory().expect("SQLite can always open an in-memory database");
        conn.execute_batch(SCHEMA).expect("the cooldown schema is valid SQL");
        StateStore { conn: Arc::new(Mutex::new(conn)), path: None }
    }

    /// The file, if this store has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn load_cooldowns(&self) -> Result<Vec<(CooldownKey, CooldownEntry)>, StateError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT provider, credential, model, reason, until_ms, count, last_failure_ms, last_probe_ms FROM cooldowns",
        )?;
        let rows = stmt.query_map([], |row| {
            let reason: String = row.get(3)?;
            Ok((
                CooldownKey { provider: row.get(0)?, credential: row.get(1)?, model: row.get(2)? },
                reason,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, i64>(6)?,
                row.get::<_, Option<i64>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, reason, until, count, last_failure, last_probe) = row?;
            // A reason this build does not know (a newer clawgate wrote it) is dropped, not guessed.
            let Ok(reason) = reason.parse::<FailoverReason>() else { continue };
            out.push((
                key,
                CooldownEntry {
                    reason,
                    until_ms: until.max(0) as u64,
                    count: count.clamp(0, u32::MAX as i64) as u32,
                    last_failure_ms: last_failure.max(0) as u64,
                    last_probe_ms: last_probe.map(|p| p.max(0) as u64),
                },
            ));
        }
        Ok(out)
    }

    pub(crate) fn put_cooldown(&self, key: &CooldownKey, entry: &CooldownEntry) -> Result<(), StateError> {
        self.conn().execute(
            "INSERT INTO cooldowns (provider, credential, model, reason, until_ms, count, last_failure_ms, last_probe_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (provider, credential, model) DO UPDATE SET reason = ?4, until_ms = ?5, count = ?6,
                 last_failure_ms = ?7, last_probe_ms = ?8",
            params![
                key.provider,
                key.credential,
                key.model,
                entry.reason.as_str(),
                entry.until_ms as i64,
                entry.count as i64,
                entry.last_failure_ms as i64,
                entry.last_probe_ms.map(|p| p as i64),
            ],
        )?;
        Ok(())
    }

    pub(crate) fn delete_cooldown(&self, key: &CooldownKey) -> Result<(), StateError> {
        self.conn().execute(
            "DELETE FROM cooldowns WHERE provider = ?1 AND credential = ?2 AND model = ?3",
            params![key.provider, key.credential, key.model],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooldowns_round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.db");
        let key = CooldownKey::model("lmstudio", "none", "qwen/qwen3-8b");
        let entry = CooldownEntry {
            reason: FailoverReason::Timeout,
            until_ms: 1_000_030_000,
            count: 1,
            last_failure_ms: 1_000_000_000,
            last_probe_ms: None,
        };
        {
            let store = StateStore::open(&path).unwrap();
            store.put_cooldown(&key, &entry).unwrap();
            store.put_cooldown(&CooldownKey::provider("openai", "key:ab"), &entry).unwrap();
            store.delete_cooldown(&CooldownKey::provider("openai", "key:ab")).unwrap();
        }
        let reopened = StateStore::open(&path).unwrap();
        assert_eq!(reopened.load_cooldowns().unwrap(), vec![(key, entry)]);
    }
}
