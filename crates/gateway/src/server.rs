//! `GatewayServer`: binds the listener (refusing a non-loopback address without auth), then serves
//! until the shutdown future resolves — at which point it stops accepting, lets streams in flight
//! finish for up to `shutdown_grace`, then ends the rest with an error event and returns. Accepted
//! sockets get TCP_NODELAY. Nothing heavy happens at start: the listener is ready when `bind` returns.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use crate::backend::Backend;
use crate::error::GatewayError;
use crate::routes::router;
use crate::settings::GatewaySettings;
use crate::state::AppState;

/// How long connections may take to close after the grace period ended their streams.
const CLOSE_BOUND: Duration = Duration::from_secs(2);

/// A bound, not yet serving gateway.
pub struct GatewayServer {
    listener: TcpListener,
    addr: SocketAddr,
    state: Arc<AppState>,
}

impl GatewayServer {
    /// Checks the settings and binds. A port of 0 picks a free one (see [`GatewayServer::local_addr`]).
    pub async fn bind(settings: GatewaySettings, backend: Arc<dyn Backend>) -> Result<Self, GatewayError> {
        let addr = settings.listen;
        if !addr.ip().is_loopback() && settings.auth.is_none() {
            return Err(GatewayError::NonLoopbackWithoutAuth { addr });
        }
        let listener = TcpListener::bind(addr).await.map_err(|source| GatewayError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(|source| GatewayError::Bind { addr, source })?;
        tracing::info!(%addr, auth = auth_label(&settings), "gateway listening");
        Ok(Self { listener, addr, state: Arc::new(AppState::new(settings, backend)) })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` resolves and the streams in flight are done (or cut after the grace).
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), GatewayError> {
        let lifecycle = self.state.lifecycle.clone();
        let grace = self.state.settings.shutdown_grace;
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY on a client connection");
            }
        });
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let draining = lifecycle.draining.clone();
        let serving = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutting down: no new connections; open streams may finish");
                draining.cancel();
            })
            .into_future();
        tokio::pin!(serving);
        let grace_over = async {
            lifecycle.draining.cancelled().await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = &mut serving => return result.map_err(|source| GatewayError::Serve { source }),
            () = grace_over => {}
        }
        tracing::warn!(grace_s = grace.as_secs(), "grace period over: ending the streams still open");
        lifecycle.abort.cancel();
        match tokio::time::timeout(CLOSE_BOUND, &mut serving).await {
            Ok(result) => result.map_err(|source| GatewayError::Serve { source }),
            Err(_) => {
                tracing::warn!("some connections did not close in time; leaving them");
                Ok(())
            }
        }
    }
}

fn auth_label(settings: &GatewaySettings) -> &'static str {
    match settings.auth {
        crate::settings::AuthSettings::None => "none",
        crate::settings::AuthSettings::Token(_) => "token",
        crate::settings::AuthSettings::Password(_) => "password",
    }
}
