//! The client-facing HTTP server of clawgate: one endpoint that speaks OpenAI Chat Completions, OpenAI
//! Responses and Anthropic Messages, serves every request through a [`Backend`] (the router, in
//! production), and answers in the client's own dialect — reasoning in its reasoning field, tool calls
//! in its tool shape, errors in its error shape — with the model that answered in `x-clawgate-model`.
//!
//! # Layout
//! - [`server`]: binding (loopback by default; auth required elsewhere), serving, graceful shutdown.
//! - [`settings`]: `gateway.*` + environment + CLI overrides → [`GatewaySettings`].
//! - [`backend`]: the [`Backend`] trait the gateway serves from, and its request/stream/error types.
//! - `routes/`: the route table; `answer.rs` is the shared path of the three ingress endpoints.
//! - [`ingress`]: client request → `llm::ModelRequest` per dialect, with §7.2 validation.
//! - [`egress`]: `llm::StreamEvent`s → SSE frames or the whole response per dialect; `body.rs` is the
//!   streaming body (flush per event, keep-alive, cancel on disconnect).
//! - [`api_error`]: the one place errors become HTTP answers, per dialect.
//! - `auth`, [`rate_limit`]: the token/password check and the per-IP failed-attempt lockout.
//! - [`metrics`], `record`: Prometheus counters and histograms in atomics; per-request bookkeeping.
//! - [`ids`]: response ids and timestamps (injectable for exact-byte tests).

pub mod api_error;
mod auth;
pub mod backend;
mod dialect;
pub mod egress;
pub mod error;
pub mod headers;
pub mod ids;
pub mod ingress;
pub mod metrics;
pub mod rate_limit;
mod record;
pub mod router_backend;
mod routes;
pub mod server;
pub mod settings;
mod state;

pub use api_error::{ApiError, ApiErrorKind};
pub use backend::{
    AttemptSummary, Backend, BackendError, BackendRequest, BackendStream, CooldownInfo, ModelInfo,
};
pub use dialect::Dialect;
pub use error::GatewayError;
pub use ids::{IdSource, RandomIds, SequentialIds};
pub use router_backend::RouterBackend;
pub use server::GatewayServer;
pub use settings::{
    AuthSettings, GatewaySettings, ListenOverrides, RateLimitSettings, RequestLimits, DEFAULT_PORT,
};
