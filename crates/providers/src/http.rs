//! The shared HTTP clients (one for local servers, one for hosted APIs) and the mapping of reqwest
//! errors onto [`TransportFailure`]. The only module that knows reqwest's error shapes.

use std::error::Error as StdError;
use std::time::Duration;

use crate::classify::{BodyFailure, TransportFailure};

/// Connection settings of the shared clients.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Connect deadline for servers on this machine or network: a dead local box must fail fast.
    pub local_connect_timeout: Duration,
    /// Connect deadline for hosted APIs.
    pub remote_connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            local_connect_timeout: Duration::from_secs(2),
            remote_connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Builds one pooled client. Local servers are never reached through a proxy.
pub(crate) fn build_client(connect_timeout: Duration, local: bool) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("clawgate/", env!("CARGO_PKG_VERSION")));
    if local {
        builder = builder.no_proxy();
    }
    // Only fails when the TLS backend cannot initialise, which is a build problem, not a runtime one.
    builder.build().expect("the HTTP client (rustls) could not be initialised")
}

/// Where in the call an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending, waiting for headers.
    Send,
    /// Reading the body.
    Body,
}

/// Maps a reqwest error to the transport failure it is.
pub(crate) fn transport_failure(err: &reqwest::Error, phase: Phase) -> TransportFailure {
    let chain = chain_text(err);
    if err.is_timeout() {
        return if err.is_connect() {
            TransportFailure::ConnectTimeout
        } else {
            TransportFailure::HeadersTimeout
        };
    }
    if err.is_connect() {
        if chain.contains("dns error")
            || chain.contains("failed to lookup address")
            || chain.contains("name or service not known")
        {
            return TransportFailure::Dns;
        }
        if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
            return TransportFailure::Tls;
        }
        return io_kind(err)
            .and_then(TransportFailure::from_io_error_kind)
            .unwrap_or(TransportFailure::Unreachable);
    }
    if err.is_decode() && chain.contains("decompress") {
        return TransportFailure::Body(BodyFailure::Decompression);
    }
    match phase {
        Phase::Send => TransportFailure::ResetBeforeHeaders,
        Phase::Body => {
            if let Some(failure) = io_kind(err).and_then(TransportFailure::from_io_error_kind_in_body) {
                return failure;
            }
            if chain.contains("chunk") || chain.contains("content-length") || chain.contains("framing") {
                return TransportFailure::Body(BodyFailure::Framing);
            }
            TransportFailure::ResetAfterHeaders
        }
    }
}

fn io_kind(err: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

fn chain_text(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.to_ascii_lowercase()
}
