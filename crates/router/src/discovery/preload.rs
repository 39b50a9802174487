//! LM Studio's `params.preload` (default on): when the server says a model has no loaded instance,
//! clawgate loads it through `POST /api/v1/models/load` before sending, instead of letting the
//! request wait inside LM Studio's JIT load.
//!
//! One load per (server, model) runs at a time, in the background; every request that needs the
//! model waits for that one. A request waits as for a loading model: within its first-token
//! deadline and its budget. If that passes, the request moves on (`model_loading`) while the load
//! goes on, so a later request finds the model loaded. A load that fails otherwise (unknown model,
//! not enough memory) is logged and the request is sent anyway: the server's own answer says why.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use config::registry::ResolvedProvider;
use providers::discovery::{preload_enabled, preload_lmstudio, DiscoveryError, PreloadOutcome, ServerKind};
use tokio::sync::watch;
use tokio::time::Instant;

use super::{bearer, LocalServerError, LocalServers};
use crate::chain::Candidate;
use crate::deadline::{Budget, Deadlines};

type Outcome = Result<PreloadOutcome, Arc<DiscoveryError>>;
type Key = (String, String);

/// Loads in flight, per (base URL, model id).
#[derive(Debug, Default)]
pub(super) struct Preloads {
    inflight: Arc<Mutex<HashMap<Key, watch::Receiver<Option<Outcome>>>>>,
}

impl LocalServers {
    /// Loads the model first when its LM Studio server says it is not loaded (see the module docs).
    pub(super) async fn preload_if_cold(
        &self,
        provider: &ResolvedProvider,
        candidate: &Candidate,
        deadlines: Deadlines,
        budget: Budget,
    ) -> Result<(), LocalServerError> {
        if Self::server_kind(provider, candidate) != Some(ServerKind::LmStudio) || !preload_enabled(provider)
        {
            return Ok(());
        }
        let base_url = &candidate.model().base_url;
        let wait = self.options.discovery_wait;
        let lookup = self.reports.lookup(
            &self.tasks,
            &self.discoverer,
            ServerKind::LmStudio,
            base_url,
            bearer(candidate),
            wait,
        );
        let Some(Ok(report)) = lookup.await else { return Ok(()) };
        let cold = report.model(candidate.model_id()).is_some_and(|m| m.loaded == Some(false));
        if !cold {
            return Ok(());
        }
        let mut done = self.start_preload(candidate, deadlines);
        let limit = deadlines.first_token.min(budget.remaining());
        let started = Instant::now();
        tracing::info!(target: "clawgate::router", candidate = %candidate.key(), "model is not loaded; preloading it (params.preload)");
        let waited = tokio::time::timeout(limit, done.wait_for(Option::is_some))
            .await
            .map(|changed| changed.ok().and_then(|outcome| outcome.clone()));
        match waited {
            Ok(Some(Ok(loaded))) => {
                tracing::info!(target: "clawgate::router", candidate = %candidate.key(), ms = started.elapsed().as_millis() as u64, outcome = ?loaded, "preload finished");
                Ok(())
            }
            Ok(Some(Err(e))) if matches!(*e, DiscoveryError::Timeout { .. }) => {
                Err(self.preload_timeout(provider, candidate, started.elapsed()))
            }
            Ok(Some(Err(e))) => {
                tracing::warn!(target: "clawgate::router", candidate = %candidate.key(), error = %e, "preload failed; sending the request anyway");
                Ok(())
            }
            // The load task was dropped (the router is going away): let the call decide.
            Ok(None) => Ok(()),
            Err(_) => Err(self.preload_timeout(provider, candidate, limit)),
        }
    }

    fn preload_timeout(
        &self,
        provider: &ResolvedProvider,
        candidate: &Candidate,
        waited: Duration,
    ) -> LocalServerError {
        LocalServerError::PreloadTimeout {
            provider: provider.id.clone(),
            model: candidate.model_id().to_owned(),
            base_url: candidate.model().base_url.clone(),
            secs: waited.as_secs(),
        }
    }

    /// The load of `candidate`'s model: the one in flight, or a new one.
    fn start_preload(&self, candidate: &Candidate, deadlines: Deadlines) -> watch::Receiver<Option<Outcome>> {
        let base_url = candidate.model().base_url.clone();
        let model = candidate.model_id().to_owned();
        let key = (base_url.trim_end_matches('/').to_owned(), model.to_ascii_lowercase());
        let mut inflight = self.preloads.inflight.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(running) = inflight.get(&key) {
            return running.clone();
        }
        let (send, receive) = watch::channel(None);
        inflight.insert(key.clone(), receive.clone());
        // The load itself may outlive the request that started it: a later request uses the model.
        let load_timeout = deadlines.first_token.max(self.options.local_timeout);
        let context = candidate.model().context_window;
        let discoverer = self.discoverer.clone();
        let slot = self.reports.slot(ServerKind::LmStudio, &base_url);
        let registry = Arc::clone(&self.preloads.inflight);
        let token = bearer(candidate);
        self.tasks.spawn(async move {
            let outcome =
                preload_lmstudio(&discoverer, &base_url, token.as_deref(), &model, context, load_timeout)
                    .await;
            if let Ok(
                PreloadOutcome::AlreadyLoaded { context_length }
                | PreloadOutcome::Loaded { context_length, .. },
            ) = &outcome
            {
                slot.mark_loaded(&model, *context_length);
            }
            let _ = send.send(Some(outcome.map_err(Arc::new)));
            registry.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
        });
        receive
    }
}
