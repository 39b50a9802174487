//! Local servers on the request path: what they report (context window, loaded state), LM Studio
//! preload, and `localService` on-demand start (openclaw-behaviour §3.3–3.5).
//!
//! [`LocalServers`] is shared by every [`Router`](crate::Router) made from one another (hot reloads
//! keep it), and owns everything it starts: background discoveries and preloads run in its
//! [`JoinSet`] and are aborted when the last router is dropped; the children of `localService`
//! belong to its [`LocalServiceManager`], which kills them on drop.
//!
//! # Layout
//! - `reports.rs`: server reports cached per (kind, base URL) for a short TTL, refreshed in the
//!   background when stale (one discovery round trip per TTL per server), waited for at most the
//!   discovery wait when none is known yet.
//! - `window.rs`: the discovered context window of a model whose config has none.
//! - `preload.rs`: LM Studio's `params.preload`, one load per model at a time, shared by every
//!   request waiting for it.
//! - `service.rs`: the `localService` lease taken before a call.
//! - `error.rs`: [`LocalServerError`], why a local server could not be made ready.

mod error;
mod preload;
mod reports;
mod service;
mod window;

use std::future::Future;
use std::sync::{Mutex, PoisonError};

use config::registry::ResolvedProvider;
use config::Config;
use providers::discovery::{Discoverer, ServerKind};
use providers::local_service::{Lease, LocalServiceManager};
use providers::Auth;
use tokio::task::JoinSet;

use crate::chain::Candidate;
use crate::deadline::{Budget, Deadlines};
use crate::options::RouterOptions;

pub use error::LocalServerError;
pub(crate) use window::judged;

use preload::Preloads;
use reports::Reports;

/// Discovery, preload and on-demand start of the local servers a router calls. See the module docs.
#[derive(Debug)]
pub(crate) struct LocalServers {
    discoverer: Discoverer,
    reports: Reports,
    preloads: Preloads,
    services: LocalServiceManager,
    tasks: Tasks,
    options: RouterOptions,
}

/// What a candidate holds while it is called: the `localService` lease, if its provider has one.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    _lease: Option<Lease>,
}

impl LocalServers {
    pub fn new(options: &RouterOptions) -> Self {
        LocalServers {
            discoverer: Discoverer::default(),
            reports: Reports::new(options.discovery_ttl),
            preloads: Preloads::default(),
            services: LocalServiceManager::new(),
            tasks: Tasks::default(),
            options: options.clone(),
        }
    }

    /// Before a call: starts the provider's `localService` if it has one, then preloads the model on
    /// LM Studio when the server says it is not loaded. The waits are bounded by the candidate's
    /// first-token deadline (a load is "loading") and by the request's budget.
    pub async fn prepare(
        &self,
        config: &Config,
        candidate: &Candidate,
        deadlines: Deadlines,
        budget: Budget,
    ) -> Result<Prepared, LocalServerError> {
        let Some(provider) = config.registry.provider(candidate.provider()) else {
            return Ok(Prepared::default());
        };
        let lease = self.lease(provider, candidate, budget).await?;
        self.preload_if_cold(provider, candidate, deadlines, budget).await?;
        Ok(Prepared { _lease: lease })
    }

    /// The discovery kind of a candidate's server, when it is local and speaks a discovery protocol.
    fn server_kind(provider: &ResolvedProvider, candidate: &Candidate) -> Option<ServerKind> {
        candidate.target.local.then(|| Discoverer::kind_of(provider)).flatten()
    }
}

/// The bearer token discovery and preload calls send: the one inference sends, when it is a bearer.
fn bearer(candidate: &Candidate) -> Option<String> {
    match &candidate.target.auth {
        Auth::Bearer(secret) => Some(secret.expose().to_owned()),
        _ => None,
    }
}

/// Background work owned by [`LocalServers`]: aborted when it is dropped.
#[derive(Debug, Default)]
struct Tasks(Mutex<JoinSet<()>>);

impl Tasks {
    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let mut set = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        // Reap the finished ones so the set holds only live work.
        while set.try_join_next().is_some() {}
        set.spawn(task);
    }

    #[cfg(test)]
    fn live(&self) -> usize {
        let mut set = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        while set.try_join_next().is_some() {}
        set.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn finished_tasks_are_reaped_and_live_ones_aborted_on_drop() {
        let tasks = Tasks::default();
        tasks.spawn(async {});
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tasks.spawn(async move {
            let _keep = tx;
            std::future::pending::<()>().await;
        });
        tokio::task::yield_now().await;
        assert_eq!(tasks.live(), 1, "the finished task is reaped, the pending one is live");
        drop(tasks);
        assert!(rx.await.is_err(), "dropping the set aborted the pending task (its sender is gone)");
    }
}
