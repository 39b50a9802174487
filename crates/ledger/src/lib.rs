//! The usage ledger: every gateway request's attempts, tokens and cost, stored in `state.db`
//! (SQLite, WAL) and summarised by `clawgate usage`.
//!
//! Writes never block a request: [`LedgerWriter::sender`] hands out a [`LedgerSender`] whose
//! [`record`](LedgerSender::record) is a non-blocking push into a bounded channel; a dedicated
//! thread drains it in batches, one transaction per batch. When the channel is full the record is
//! dropped and counted ([`LedgerSender::dropped`]) — losing a ledger line beats stalling a stream.
//!
//! # Layout
//! - [`UsageRecord`] (`record.rs`): one request.
//! - [`Ledger`] (`store.rs`): the SQLite file, schema, inserts and queries.
//! - [`LedgerWriter`] / [`LedgerSender`] (`writer.rs`): the background writer.
//! - [`UsageQuery`] / [`UsageRow`] (`query.rs`): summaries by model, provider or day.

mod query;
mod record;
mod store;
mod writer;

pub use query::{day_of, summarise, GroupBy, UsageQuery, UsageRow};
pub use record::{AttemptRecord, UsageRecord};
pub use store::{Ledger, LedgerError};
pub use writer::{LedgerSender, LedgerWriter};
