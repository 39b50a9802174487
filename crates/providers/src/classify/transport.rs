//! Failures below HTTP: nothing answered, the connection broke, or the stream stopped making sense.
//! Every one is a failover-eligible `timeout` (openclaw-behaviour §5.3 and §10.1: a dead or cold local
//! box must fall over to the hosted model, not hang or give up).
//!
//! Independent of reqwest and hyper: the transport layer maps its errors onto this enum (io errors via
//! [`TransportFailure::from_io_error_kind`]) and keeps the original error as the source.

use std::fmt;
use std::io::ErrorKind;

use llm::FailoverReason;

/// Where a call broke below the HTTP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportFailure {
    /// The host answered the connection attempt with a refusal: nothing listens on that port.
    ConnectRefused,
    /// No route to the host or network.
    Unreachable,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake failed (certificate, protocol, plain HTTP spoken to an HTTPS port).
    Tls,
    /// The connection was not established within the connect deadline.
    ConnectTimeout,
    /// The connection was reset or closed before the response headers arrived.
    ResetBeforeHeaders,
    /// The connection was reset or closed while the body was streaming.
    ResetAfterHeaders,
    /// The request was sent but no response headers came within the deadline.
    HeadersTimeout,
    /// Headers came, but no first token within the first-token deadline.
    FirstTokenTimeout,
    /// The stream went quiet for longer than the idle deadline between events.
    IdleTimeout,
    /// The whole call ran past its total deadline.
    TotalTimeout,
    /// The stream closed cleanly but without its terminal event (`[DONE]`, `message_stop`, `done:true`).
    StreamEndedWithoutTerminal,
    /// A stream event could not be parsed (invalid JSON or UTF-8 in an SSE / NDJSON chunk).
    MalformedChunk,
    /// The response body could not be read.
    Body(BodyFailure),
}

/// Why a response body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyFailure {
    /// gzip / brotli / deflate decoding failed.
    Decompression,
    /// The body was shorter or longer than its `Content-Length`, or the chunked framing was invalid.
    Framing,
    /// Any other read error.
    Read,
}

impl TransportFailure {
    /// The failover reason: always `timeout`, so the router moves to the next candidate.
    pub fn reason(self) -> FailoverReason {
        FailoverReason::Timeout
    }

    /// Whether the failure happened before any response arrived, so no output can have reached the
    /// client and re-running the request elsewhere cannot duplicate anything.
    pub fn before_response(self) -> bool {
        matches!(
            self,
            Self::ConnectRefused
                | Self::Unreachable
                | Self::Dns
                | Self::Tls
                | Self::ConnectTimeout
                | Self::ResetBeforeHeaders
                | Self::HeadersTimeout
        )
    }

    /// A short stable name for logs and metrics (`connect_refused`, `idle_timeout`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConnectRefused => "connect_refused",
            Self::Unreachable => "unreachable",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::ConnectTimeout => "connect_timeout",
            Self::ResetBeforeHeaders => "reset_before_headers",
            Self::ResetAfterHeaders => "reset_after_headers",
            Self::HeadersTimeout => "headers_timeout",
            Self::FirstTokenTimeout => "first_token_timeout",
            Self::IdleTimeout => "idle_timeout",
            Self::TotalTimeout => "total_timeout",
            Self::StreamEndedWithoutTerminal => "stream_ended_without_terminal",
            Self::MalformedChunk => "malformed_chunk",
            Self::Body(BodyFailure::Decompression) => "body_decompression",
            Self::Body(BodyFailure::Framing) => "body_framing",
            Self::Body(BodyFailure::Read) => "body_read",
        }
    }

    /// What happened and what to check, for the user. Callers add the provider and URL.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ConnectRefused => "connection refused — is the server running and listening on that port?",
            Self::Unreachable => "host or network unreachable — check the address, the VPN, and that the machine is on",
            Self::Dns => "host name did not resolve — check the spelling of the base URL and your DNS",
            Self::Tls => {
                "TLS handshake failed — check https vs http in the base URL and the server's certificate"
            }
            Self::ConnectTimeout => {
                "connection timed out — the host did not answer; check the address, firewall and that it is up"
            }
            Self::ResetBeforeHeaders => {
                "connection closed before a response — the server crashed, restarted, or a proxy cut it"
            }
            Self::ResetAfterHeaders => {
                "connection closed mid-stream — the server crashed or a proxy cut the stream; check its logs"
            }
            Self::HeadersTimeout => {
                "no response within the deadline — the server may be busy loading the model; raise timeoutSeconds for slow local models"
            }
            Self::FirstTokenTimeout => {
                "no first token within the deadline — the prompt may be too long for this hardware, or the model is still loading"
            }
            Self::IdleTimeout => {
                "the stream went quiet past the idle deadline — the server stalled; raise timeoutSeconds for slow local models"
            }
            Self::TotalTimeout => "the call ran past its total deadline — lower max tokens or raise the timeout",
            Self::StreamEndedWithoutTerminal => {
                "the stream ended without a final event — the server or a proxy closed it before the answer was complete"
            }
            Self::MalformedChunk => {
                "the stream sent an event that could not be parsed — check that the api type matches the server"
            }
            Self::Body(BodyFailure::Decompression) => "the response body could not be decompressed",
            Self::Body(BodyFailure::Framing) => {
                "the response body was cut short or badly framed — a proxy or the server broke it"
            }
            Self::Body(BodyFailure::Read) => "the response body could not be read",
        }
    }

    /// Maps an io error raised while connecting or sending the request. `None` for kinds that are not
    /// transport failures (or that the caller must look at more closely, like `Other` for DNS).
    pub fn from_io_error_kind(kind: ErrorKind) -> Option<Self> {
        let failure = match kind {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable => Self::ConnectRefused,
            ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable | ErrorKind::NetworkDown => {
                Self::Unreachable
            }
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::NotConnected
            | ErrorKind::UnexpectedEof => Self::ResetBeforeHeaders,
            ErrorKind::TimedOut => Self::ConnectTimeout,
            _ => return None,
        };
        Some(failure)
    }

    /// Maps an io error raised while reading a response body or stream.
    pub fn from_io_error_kind_in_body(kind: ErrorKind) -> Option<Self> {
        let failure = match kind {
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::NotConnected => Self::ResetAfterHeaders,
            ErrorKind::UnexpectedEof => Self::StreamEndedWithoutTerminal,
            ErrorKind::TimedOut => Self::IdleTimeout,
            ErrorKind::InvalidData => Self::MalformedChunk,
            _ => return None,
        };
        Some(failure)
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}
