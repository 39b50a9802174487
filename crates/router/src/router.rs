//! [`Router`]: the entry point. Holds a config snapshot, the shared HTTP client, the shared cooldown
//! state and the local servers' discovery state; every request builds its chain from the snapshot it
//! started with. Background work (discoveries, preloads, `localService` children) ends when the last
//! router made from one another is dropped.

use std::sync::Arc;
use std::time::Duration;

use config::Config;
use providers::Client;

use crate::call::CommitAt;
use crate::clock::{Clock, SystemClock};
use crate::cooldown::{CooldownBook, CooldownPolicy, CooldownView};
use crate::discovery::LocalServers;
use crate::error::RouteError;
use crate::options::RouterOptions;
use crate::retry::Jitter;
use crate::run::Run;
use crate::store::StateStore;
use crate::stream::{RoutedCompletion, RoutedStream};

/// A request to route.
#[derive(Debug, Clone, Default)]
pub struct RouteRequest {
    /// A ref or alias as the caller wrote it; `None` = the configured primary.
    pub model: Option<String>,
    /// The call; its `model` field is filled per candidate.
    pub request: llm::ModelRequest,
    /// A user's explicit choice: no fallback.
    pub strict: bool,
    /// Replaces the configured fallbacks for this request (`Some(vec![])` = no fallback, and the
    /// primary is not appended).
    pub fallbacks: Option<Vec<String>>,
}

impl RouteRequest {
    pub fn new(model: impl Into<String>, request: llm::ModelRequest) -> Self {
        RouteRequest { model: Some(model.into()), request, strict: false, fallbacks: None }
    }
}

/// Chooses, calls and fails over between models. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Router {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub config: Arc<Config>,
    pub client: Client,
    pub book: Arc<CooldownBook>,
    pub policy: CooldownPolicy,
    pub options: RouterOptions,
    pub jitter: Arc<Jitter>,
    /// Discovery, preload and `localService` of the local servers; kept across hot reloads.
    pub local: Arc<LocalServers>,
}

impl Inner {
    /// The whole-request budget: `agents.defaults.timeoutSeconds`, else the option.
    pub fn request_budget(&self) -> Duration {
        self.config
            .raw
            .agents
            .defaults
            .timeout_seconds
            .map_or(self.options.request_budget, Duration::from_secs)
    }
}

impl Router {
    /// A router with the system clock and default timings.
    pub fn new(config: Arc<Config>, client: Client, state: StateStore) -> Router {
        Router::with_parts(config, client, state, Arc::new(SystemClock), RouterOptions::default())
    }

    /// A router with a given wall clock (cooldown bookkeeping) and timings.
    pub fn with_parts(
        config: Arc<Config>,
        client: Client,
        state: StateStore,
        clock: Arc<dyn Clock>,
        options: RouterOptions,
    ) -> Router {
        let book = Arc::new(CooldownBook::load(state, clock));
        let policy = CooldownPolicy::from_config(&config);
        let local = Arc::new(LocalServers::new(&options));
        let jitter = Arc::new(Jitter::from_entropy());
        let inner = Inner { config, client, book, policy, options, jitter, local };
        Router { inner: Arc::new(inner) }
    }

    /// The same cooldown state under a new config snapshot (hot reload). Cooldowns of models whose
    /// endpoint (base URL, api) is unchanged are kept; the others are dropped.
    pub fn with_config(&self, config: Arc<Config>) -> Router {
        let old = &self.inner.config;
        self.inner.book.retain(|key| {
            let endpoint = |c: &Config| {
                let provider = c.registry.provider(&key.provider)?;
                match key.is_provider_wide() {
                    true => Some((provider.base_url.clone().unwrap_or_default(), provider.api)),
                    false => {
                        c.registry
                            .model(&key.provider, &key.model)
                            .map(|m| (m.base_url.clone(), m.api))
                            .or_else(|| {
                                // A model only reachable through its provider (ad-hoc, discovered).
                                provider.base_url.clone().map(|u| (u, provider.api))
                            })
                    }
                }
            };
            let before = endpoint(old);
            before.is_some() && before == endpoint(&config)
        });
        let inner = Inner {
            policy: CooldownPolicy::from_config(&config),
            config,
            client: self.inner.client.clone(),
            book: Arc::clone(&self.inner.book),
            options: self.inner.options.clone(),
            jitter: Arc::clone(&self.inner.jitter),
            local: Arc::clone(&self.inner.local),
        };
        Router { inner: Arc::new(inner) }
    }

    pub fn config(&self) -> &Arc<Config> {
        &self.inner.config
    }

    /// Streams the answer of the first candidate that gets to visible output. See [`RoutedStream`].
    pub async fn stream(&self, request: RouteRequest) -> Result<RoutedStream, RouteError> {
        let won = Run::new(Arc::clone(&self.inner), request, CommitAt::FirstOutput)?.run().await?;
        Ok(RoutedStream::new(Arc::clone(&self.inner), won))
    }

    /// The whole answer of the first candidate that finishes one. A candidate that fails at any
    /// point is replaced invisibly (nothing reached the caller yet).
    pub async fn complete(&self, request: RouteRequest) -> Result<RoutedCompletion, RouteError> {
        let won = Run::new(Arc::clone(&self.inner), request, CommitAt::End)?.run().await?;
        Ok(RoutedCompletion::from_won(won))
    }

    /// Active cooldowns, soonest-ending first.
    pub fn cooldowns(&self) -> Vec<CooldownView> {
        self.inner.book.views()
    }
}
