//! The context window a local server reports for a model whose config sets none: vLLM's
//! `max_model_len`, LM Studio's loaded context (else the model's maximum), llama.cpp's `n_ctx`,
//! Ollama's loaded or Modelfile `num_ctx` (else the trained length).
//!
//! Used only to judge whether a request fits before sending; what is sent is unchanged (Ollama's
//! `num_ctx` still follows the config), so a discovery never changes a server's memory use.

use config::Config;

use super::{bearer, LocalServers};
use crate::chain::Candidate;

impl LocalServers {
    /// The window `candidate`'s server reports for it, when its config has none and the server is
    /// local and answers (from the cache, or within the discovery wait).
    pub async fn discovered_window(&self, config: &Config, candidate: &Candidate) -> Option<u64> {
        if candidate.model().context_window.is_some() {
            return None;
        }
        let provider = config.registry.provider(candidate.provider())?;
        let kind = Self::server_kind(provider, candidate)?;
        let base_url = &candidate.model().base_url;
        let wait = self.options.discovery_wait;
        let answer = self
            .reports
            .lookup(&self.tasks, &self.discoverer, kind, base_url, bearer(candidate), wait)
            .await?;
        let report = answer.ok()?;
        let window = report.model(candidate.model_id())?.context_window?;
        tracing::debug!(target: "clawgate::router", candidate = %candidate.key(), window, "context window from the server's report");
        Some(window)
    }
}

/// `candidate` as the fit check should judge it: with `window` when the config has none.
pub(crate) fn judged(candidate: &Candidate, window: Option<u64>) -> Candidate {
    let mut judged = candidate.clone();
    if judged.target.model.context_window.is_none() {
        judged.target.model.context_window = window;
    }
    judged
}
