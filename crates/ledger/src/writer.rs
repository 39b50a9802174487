//! The background writer: a bounded channel drained by one thread, in batches.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::record::UsageRecord;
use crate::store::Ledger;

/// Most records written in one transaction.
const BATCH: usize = 512;
/// Longest a record waits for others to share its transaction.
const FLUSH_INTERVAL: Duration = Duration::from_millis(200);

/// Hands records to the writer without ever blocking. Cheap to clone.
#[derive(Clone)]
pub struct LedgerSender {
    tx: SyncSender<UsageRecord>,
    dropped: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
}

impl LedgerSender {
    /// Queues a record; if the writer is behind and the queue is full, the record is dropped and counted.
    pub fn record(&self, record: UsageRecord) {
        match self.tx.try_send(record) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Records dropped because the queue was full (or the writer had stopped).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Records lost because the database refused a batch.
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }
}

/// The writer thread. Dropping every sender and calling [`LedgerWriter::close`] flushes what is queued.
pub struct LedgerWriter {
    sender: Option<LedgerSender>,
    thread: Option<JoinHandle<()>>,
}

impl LedgerWriter {
    /// Starts the writer on `ledger` with a queue of `capacity` records.
    pub fn start(ledger: Ledger, capacity: usize) -> LedgerWriter {
        let (tx, rx) = sync_channel(capacity.max(1));
        let failed = Arc::new(AtomicU64::new(0));
        let sender = LedgerSender { tx, dropped: Arc::new(AtomicU64::new(0)), failed: Arc::clone(&failed) };
        let thread = std::thread::Builder::new()
            .name("clawgate-ledger".into())
            .spawn(move || drain(ledger, rx, failed))
            .expect("spawn the ledger writer thread");
        LedgerWriter { sender: Some(sender), thread: Some(thread) }
    }

    pub fn sender(&self) -> LedgerSender {
        self.sender.clone().expect("the writer is open until closed")
    }

    /// Stops accepting records from this handle's sender and waits until everything queued is
    /// written. Clones of the sender that are still alive keep the thread running until dropped.
    pub fn close(mut self) {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn drain(mut ledger: Ledger, rx: Receiver<UsageRecord>, failed: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Ok(first) = rx.recv() {
        batch.push(first);
        // Gather what arrives within the flush interval: one transaction (one WAL append and sync) per
        // interval instead of one per request keeps the writer's CPU small under load.
        let flush_at = Instant::now() + FLUSH_INTERVAL;
        while batch.len() < BATCH {
            let left = flush_at.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(record) => batch.push(record),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        if let Err(error) = ledger.insert_batch(&batch) {
            failed.fetch_add(batch.len() as u64, Ordering::Relaxed);
            eprintln!("warning: {} usage records could not be written: {error}", batch.len());
        }
        batch.clear();
    }
}
