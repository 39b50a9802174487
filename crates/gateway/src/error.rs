//! `GatewayError`: why the gateway could not start or keep serving. Errors of one request are
//! [`crate::ApiError`], answered to the client instead.

use std::net::SocketAddr;

/// A startup or serving failure. Each message says what is wrong, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(
        "gateway.bind is {value:?}, which clawgate does not know; use \"loopback\" (default), \"lan\", \"auto\" \
         or \"custom\" with gateway.customBindHost"
    )]
    UnknownBind { value: String },

    #[error(
        "gateway.bind is \"custom\" but gateway.customBindHost {problem}; set it to the IP address to listen on \
         (e.g. \"192.168.1.20\")"
    )]
    CustomBindHost { problem: String },

    #[error(
        "gateway.bind \"tailnet\" needs the Tailscale address, which clawgate does not detect yet; set \
         gateway.bind to \"custom\" and gateway.customBindHost to your 100.x.y.z address"
    )]
    TailnetUnsupported,

    #[error(
        "gateway.auth.mode is \"{mode}\" but no {mode} is set; set gateway.auth.{mode} in the config or \
         export {env}"
    )]
    MissingSecret { mode: &'static str, env: &'static str },

    #[error(
        "both a gateway token and a gateway password are set, so the auth mode is ambiguous; set \
         gateway.auth.mode to \"token\" or \"password\""
    )]
    AmbiguousAuth,

    #[error(
        "gateway.auth.mode \"trusted-proxy\" is not supported by clawgate yet; use \"token\" or \"password\""
    )]
    TrustedProxyUnsupported,

    #[error("gateway.auth.{field} cannot be read: {reason}")]
    UnusableSecret { field: &'static str, reason: String },

    #[error(
        "refusing to listen on {addr} without authentication: anyone on the network could use your models; \
         set gateway.auth.mode to \"token\" with gateway.auth.token (or export CLAWGATE_GATEWAY_TOKEN), or \
         bind to loopback"
    )]
    NonLoopbackWithoutAuth { addr: SocketAddr },

    #[error(
        "cannot listen on {addr}: {source}; is another process using the port? pick another with --port"
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },

    #[error("the gateway stopped serving: {source}")]
    Serve {
        #[source]
        source: std::io::Error,
    },
}
