//! `localService`: starting a local model server on demand (openclaw-behaviour §3.5).
//!
//! Before a request to a provider with `models.providers.<id>.localService`, the router takes a
//! [`Lease`] from the [`LocalServiceManager`]:
//! 1. the health URL (`healthUrl`, default `baseUrl + "/models"`) is probed; a healthy server is
//!    used as it is — if another process started it, it is reused but never adopted (never stopped);
//! 2. otherwise `command` is spawned with `args`, `cwd` and `env` (merged over the process
//!    environment) — no shell and no PATH lookup, so `command` must be a path;
//! 3. the health URL is polled until it answers 2xx, within `readyTimeoutMs` (default 120 000); a
//!    child that exits or never becomes ready is reported (and killed) instead of waited on forever;
//! 4. with `idleStopMs > 0`, a child clawgate started is stopped once no lease has been held for
//!    that long.
//!
//! Startup is serialized per (provider, command, args, env): concurrent requests wait for one start.
//! Children still running when the manager is dropped are killed, and its watchdog tasks stopped.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use config::types::LocalService;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::http::build_client;

/// Default `readyTimeoutMs`.
pub const DEFAULT_READY_TIMEOUT: Duration = Duration::from_millis(120_000);
/// How often the health URL is polled while a server starts.
const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Deadline of one health probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a local service could not be made ready.
#[derive(Debug, thiserror::Error)]
pub enum LocalServiceError {
    #[error("models.providers.{provider}.localService.command {command:?} is not a path; clawgate runs it without a shell or PATH lookup, so write the full path (for example /usr/local/bin/llama-server)")]
    CommandNotAPath { provider: String, command: String },
    #[error("cannot start {command:?} for provider `{provider}` (models.providers.{provider}.localService): {source}; check that the file exists and is executable")]
    Spawn {
        provider: String,
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{command:?} for provider `{provider}` exited ({status}) before {health_url} answered; run it by hand to see its output")]
    ExitedEarly { provider: String, command: String, status: String, health_url: String },
    #[error("{health_url} did not answer within {ms} ms after starting {command:?} for provider `{provider}`; the server was stopped. Raise models.providers.{provider}.localService.readyTimeoutMs if the model needs longer to load")]
    ReadyTimeout { provider: String, command: String, health_url: String, ms: u128 },
}

/// How the server of a lease came to be running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceOrigin {
    /// It was already healthy and clawgate did not start it: used, never stopped by clawgate.
    External,
    /// clawgate started it earlier and it is still running.
    Running,
    /// clawgate started it for this lease.
    Started,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ServiceKey {
    provider: String,
    command: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct ServiceState {
    child: Option<Child>,
    leases: usize,
    last_release: Option<Instant>,
}

#[derive(Debug, Default)]
struct Service {
    /// Held while a start is in progress: one start per key at a time.
    starting: tokio::sync::Mutex<()>,
    state: Mutex<ServiceState>,
    watchdog: Mutex<Option<JoinHandle<()>>>,
}

impl Service {
    fn state(&self) -> std::sync::MutexGuard<'_, ServiceState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether clawgate's child is still alive (reaping it if it exited).
    fn child_running(&self) -> bool {
        let mut state = self.state();
        match state.child.as_mut().map(Child::try_wait) {
            Some(Ok(None)) => true,
            Some(_) => {
                state.child = None;
                false
            }
            None => false,
        }
    }

    fn stop_child(&self) {
        if let Some(mut child) = self.state().child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(handle) = self.watchdog.get_mut().unwrap_or_else(PoisonError::into_inner).take() {
            handle.abort();
        }
        self.stop_child();
    }
}

/// Held while a request uses a local service; dropping it starts the idle clock.
#[derive(Debug)]
pub struct Lease {
    service: Arc<Service>,
    origin: ServiceOrigin,
    health_url: String,
}

impl Lease {
    pub fn origin(&self) -> ServiceOrigin {
        self.origin
    }

    pub fn health_url(&self) -> &str {
        &self.health_url
    }

    /// The process id of the child clawgate started, if it runs one for this service.
    pub fn child_id(&self) -> Option<u32> {
        self.service.state().child.as_ref().map(Child::id)
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut state = self.service.state();
        state.leases = state.leases.saturating_sub(1);
        state.last_release = Some(Instant::now());
    }
}

/// Starts, shares and stops the on-demand local servers of a process.
#[derive(Debug)]
pub struct LocalServiceManager {
    client: reqwest::Client,
    services: Mutex<HashMap<ServiceKey, Arc<Service>>>,
}

impl Default for LocalServiceManager {
    fn default() -> Self {
        LocalServiceManager {
            client: build_client(Duration::from_millis(500), true),
            services: Mutex::new(HashMap::new()),
        }
    }
}

impl LocalServiceManager {
    pub fn new() -> Self {
        Self::default()
    }

    /// The health URL of a service: `healthUrl`, else `baseUrl + "/models"`.
    pub fn health_url(base_url: &str, spec: &LocalService) -> String {
        spec.health_url.clone().unwrap_or_else(|| format!("{}/models", base_url.trim_end_matches('/')))
    }

    /// Makes sure the server of `provider` answers, starting it if needed, and returns a lease.
    pub async fn acquire(
        &self,
        provider: &str,
        base_url: &str,
        spec: &LocalService,
    ) -> Result<Lease, LocalServiceError> {
        let health_url = Self::health_url(base_url, spec);
        let service = self.service(provider, spec);
        let _starting = service.starting.lock().await;
        let origin = if service.child_running() {
            // Ours and alive; it may still be starting after a failed attempt's timeout elsewhere.
            if !self.healthy(&health_url).await {
                self.wait_ready(provider, spec, &service, &health_url).await?;
            }
            ServiceOrigin::Running
        } else if self.healthy(&health_url).await {
            ServiceOrigin::External
        } else {
            self.start(provider, spec, &service)?;
            self.wait_ready(provider, spec, &service, &health_url).await?;
            if let Some(idle) = spec.idle_stop_ms.filter(|ms| *ms > 0).map(Duration::from_millis) {
                self.watch_idle(&service, idle);
            }
            ServiceOrigin::Started
        };
        service.state().leases += 1;
        Ok(Lease { service: Arc::clone(&service), origin, health_url })
    }

    fn service(&self, provider: &str, spec: &LocalService) -> Arc<Service> {
        let mut env: Vec<(String, String)> = spec.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        env.sort();
        let key = ServiceKey {
            provider: provider.to_string(),
            command: spec.command.clone(),
            args: spec.args.clone(),
            env,
        };
        let mut services = self.services.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(services.entry(key).or_default())
    }

    async fn healthy(&self, url: &str) -> bool {
        match self.client.get(url).timeout(PROBE_TIMEOUT).send().await {
            Ok(response) => response.status().is_success(),
            Err(_) => false,
        }
    }

    fn start(&self, provider: &str, spec: &LocalService, service: &Service) -> Result<(), LocalServiceError> {
        if !spec.command.contains(std::path::MAIN_SEPARATOR) && !spec.command.contains('/') {
            return Err(LocalServiceError::CommandNotAPath {
                provider: provider.to_string(),
                command: spec.command.clone(),
            });
        }
        let mut command = Command::new(Path::new(&spec.command));
        command
            .args(&spec.args)
            .envs(&spec.env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(cwd) = &spec.cwd {
            command.current_dir(cwd);
        }
        let child = command.spawn().map_err(|source| LocalServiceError::Spawn {
            provider: provider.to_string(),
            command: spec.command.clone(),
            source,
        })?;
        tracing::info!(provider, command = %spec.command, pid = child.id(), "started local service");
        let mut state = service.state();
        state.child = Some(child);
        state.last_release = Some(Instant::now());
        Ok(())
    }

    async fn wait_ready(
        &self,
        provider: &str,
        spec: &LocalService,
        service: &Service,
        health_url: &str,
    ) -> Result<(), LocalServiceError> {
        let timeout = spec.ready_timeout_ms.map_or(DEFAULT_READY_TIMEOUT, Duration::from_millis);
        let deadline = Instant::now() + timeout;
        loop {
            if self.healthy(health_url).await {
                return Ok(());
            }
            let exited = {
                let mut state = service.state();
                match state.child.as_mut().map(Child::try_wait) {
                    Some(Ok(Some(status))) => {
                        state.child = None;
                        Some(status.to_string())
                    }
                    _ => None,
                }
            };
            if let Some(status) = exited {
                return Err(LocalServiceError::ExitedEarly {
                    provider: provider.to_string(),
                    command: spec.command.clone(),
                    status,
                    health_url: health_url.to_string(),
                });
            }
            if Instant::now() >= deadline {
                service.stop_child();
                return Err(LocalServiceError::ReadyTimeout {
                    provider: provider.to_string(),
                    command: spec.command.clone(),
                    health_url: health_url.to_string(),
                    ms: timeout.as_millis(),
                });
            }
            tokio::time::sleep(POLL_INTERVAL.min(deadline.saturating_duration_since(Instant::now()))).await;
        }
    }

    /// Stops clawgate's child once no lease was held for `idle`.
    fn watch_idle(&self, service: &Arc<Service>, idle: Duration) {
        let weak = Arc::downgrade(service);
        let check = (idle / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
        let handle = tokio::spawn(async move {
            loop {
                tokio::time::sleep(check).await;
                let Some(service) = weak.upgrade() else { return };
                let idle_for = {
                    let state = service.state();
                    if state.child.is_none() {
                        return;
                    }
                    (state.leases == 0).then(|| state.last_release.map_or(Duration::MAX, |t| t.elapsed()))
                };
                if idle_for.is_some_and(|d| d >= idle) {
                    tracing::info!("stopping idle local service");
                    service.stop_child();
                    return;
                }
            }
        });
        if let Some(old) = service.watchdog.lock().unwrap_or_else(PoisonError::into_inner).replace(handle) {
            old.abort();
        }
    }
}
