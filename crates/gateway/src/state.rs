//! `AppState`: what every handler shares — the backend, the settings, the auth limiter, the metrics and
//! the shutdown phases.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::backend::Backend;
use crate::metrics::Metrics;
use crate::rate_limit::FailedAuthLimiter;
use crate::settings::GatewaySettings;

/// The two phases of shutdown.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// Set when shutdown starts: no new connections, `/readyz` answers 503, streams keep going.
    pub draining: CancellationToken,
    /// Set when the grace period is over: streams still open end with an error event.
    pub abort: CancellationToken,
}

/// Shared by all handlers.
pub struct AppState {
    pub backend: Arc<dyn Backend>,
    pub settings: GatewaySettings,
    pub limiter: FailedAuthLimiter,
    pub metrics: Metrics,
    pub lifecycle: Lifecycle,
}

impl AppState {
    pub fn new(settings: GatewaySettings, backend: Arc<dyn Backend>) -> Self {
        Self {
            backend,
            limiter: FailedAuthLimiter::new(settings.rate_limit),
            settings,
            metrics: Metrics::default(),
            lifecycle: Lifecycle::default(),
        }
    }
}
