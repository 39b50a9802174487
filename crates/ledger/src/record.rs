//! One request as the ledger stores it.

use serde::{Deserialize, Serialize};

/// One upstream attempt of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    /// `provider/model`.
    pub model: String,
    /// `ok`, or the failover reason / skip reason.
    pub outcome: String,
    pub ms: u64,
}

/// One gateway request. Tokens and cost belong to the attempt that answered only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageRecord {
    /// Unix time in milliseconds when the request arrived.
    pub at_ms: i64,
    /// Ingress dialect: `chat`, `responses`, `messages`.
    pub dialect: String,
    /// The model as the client asked for it (ref or alias).
    pub requested: String,
    /// `provider/model` that answered, if any did.
    pub answered_by: Option<String>,
    pub attempts: Vec<AttemptRecord>,
    /// HTTP status returned to the client.
    pub status: u16,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    pub reasoning_tokens: u64,
    /// The server sent no usage; the token figures are estimates.
    pub estimated: bool,
    pub cost_usd: f64,
    pub duration_ms: u64,
}

impl UsageRecord {
    /// The provider part of `answered_by`.
    pub fn provider(&self) -> Option<&str> {
        self.answered_by.as_deref().and_then(|m| m.split_once('/')).map(|(p, _)| p)
    }
}
