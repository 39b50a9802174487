//! `localService`: before a call to a provider that has one, its server is made to answer — probed,
//! started if nothing answers, waited for within `readyTimeoutMs` (and the request's budget) — and a
//! lease is held until the answer is read, so the idle stop (`idleStopMs`) never stops a server
//! that is answering.

use config::registry::ResolvedProvider;
use providers::local_service::{Lease, ServiceOrigin};

use super::{LocalServerError, LocalServers};
use crate::chain::Candidate;
use crate::deadline::Budget;

impl LocalServers {
    /// The lease of the provider's local service; `None` when it has none.
    pub(super) async fn lease(
        &self,
        provider: &ResolvedProvider,
        candidate: &Candidate,
        budget: Budget,
    ) -> Result<Option<Lease>, LocalServerError> {
        let Some(spec) = provider.config.local_service.as_ref() else { return Ok(None) };
        let base_url = provider.base_url.as_deref().unwrap_or(&candidate.model().base_url);
        let limit = budget.remaining();
        let acquire = self.services.acquire(&provider.id, base_url, spec);
        let lease = match tokio::time::timeout(limit, acquire).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(LocalServerError::StartOutOfBudget {
                    provider: provider.id.clone(),
                    ms: limit.as_millis(),
                })
            }
        };
        if lease.origin() == ServiceOrigin::Started {
            tracing::info!(target: "clawgate::router", provider = %provider.id, pid = ?lease.child_id(), "local service started for this request");
            // Whatever was learned while it was down is out of date.
            if let Some(kind) = Self::server_kind(provider, candidate) {
                self.reports.expire(kind, &candidate.model().base_url);
            }
        }
        Ok(Some(lease))
    }
}
