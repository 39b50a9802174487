//! [`DiscoveryError`]: why a server's model list could not be read, with the URL asked.

use crate::classify::TransportFailure;
use crate::error::BoxError;

/// A failed discovery call.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// Nothing answered: connection refused, DNS, TLS, reset.
    #[error("{url} is unreachable: {}", failure.describe())]
    Unreachable {
        url: String,
        failure: TransportFailure,
        #[source]
        source: Option<BoxError>,
    },
    /// The server did not answer within the discovery deadline.
    #[error("{url} did not answer within {ms} ms")]
    Timeout { url: String, ms: u128 },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}: {body}")]
    Status { url: String, status: u16, body: String },
    /// The server answered something that is not the expected listing.
    #[error("{url} answered something that is not a model list: {detail}")]
    Body {
        url: String,
        detail: String,
        #[source]
        source: Option<BoxError>,
    },
}

impl DiscoveryError {
    /// The URL that was asked.
    pub fn url(&self) -> &str {
        match self {
            DiscoveryError::Unreachable { url, .. }
            | DiscoveryError::Timeout { url, .. }
            | DiscoveryError::Status { url, .. }
            | DiscoveryError::Body { url, .. } => url,
        }
    }

    /// Nothing is listening (or nothing answered): the box or server is down.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, DiscoveryError::Unreachable { .. } | DiscoveryError::Timeout { .. })
    }

    /// A short, stable label for reports (`unreachable`, `timeout`, `http 404`, `bad answer`).
    pub fn label(&self) -> String {
        match self {
            DiscoveryError::Unreachable { .. } => "unreachable".into(),
            DiscoveryError::Timeout { .. } => "timeout".into(),
            DiscoveryError::Status { status, .. } => format!("http {status}"),
            DiscoveryError::Body { .. } => "bad answer".into(),
        }
    }
}
