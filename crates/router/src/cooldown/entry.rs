//! One cooldown record: what is cooling ([`CooldownKey`]), why, until when, and its probe slot.

use llm::FailoverReason;

/// What a cooldown applies to: one model of a provider reached with one credential, or (with
/// `model` empty) every model of that provider and credential.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CooldownKey {
    pub provider: String,
    /// A fingerprint of the credential (never the key itself), see [`crate::credential_id`].
    pub credential: String,
    /// Provider-local model id; empty for a provider-wide cooldown.
    pub model: String,
}

impl CooldownKey {
    pub fn model(provider: &str, credential: &str, model: &str) -> Self {
        CooldownKey {
            provider: provider.to_owned(),
            credential: credential.to_owned(),
            model: model.to_owned(),
        }
    }

    pub fn provider(provider: &str, credential: &str) -> Self {
        CooldownKey { provider: provider.to_owned(), credential: credential.to_owned(), model: String::new() }
    }

    pub fn is_provider_wide(&self) -> bool {
        self.model.is_empty()
    }

    /// `provider/model` or `provider/*`.
    pub fn label(&self) -> String {
        if self.is_provider_wide() {
            format!("{}/*", self.provider)
        } else {
            format!("{}/{}", self.provider, self.model)
        }
    }
}

/// The state of one key. Times are unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CooldownEntry {
    pub reason: FailoverReason,
    /// The window ends here; it is never moved later by failures inside it.
    pub until_ms: u64,
    /// Windows opened within the failure window (the ladder step).
    pub count: u32,
    pub last_failure_ms: u64,
    /// When the last half-open probe was let through in this window.
    pub last_probe_ms: Option<u64>,
}

impl CooldownEntry {
    pub fn active(&self, now_ms: u64) -> bool {
        now_ms < self.until_ms
    }

    pub fn remaining_ms(&self, now_ms: u64) -> u64 {
        self.until_ms.saturating_sub(now_ms)
    }
}
