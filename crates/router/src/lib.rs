//! The router: between a request and the upstream models. It builds the request's fallback chain,
//! decides per candidate (run, probe, skip) from the shared cooldown state, calls candidates through
//! `providers::Client` under per-attempt deadlines, retries where the policy says, fails over
//! invisibly until output starts, and reports every attempt.
//!
//! # Layout
//! - [`Router`], [`RouteRequest`] (`router.rs`): the entry point; `run.rs` walks one request's chain.
//! - `chain.rs`: the candidate chain (requested → fallbacks → primary, deduplicated, strict = one).
//! - `decision.rs`: run / probe / skip per candidate, and the walking order.
//! - `call.rs`: one call under its deadlines up to the commit point; `deadline.rs` the deadlines.
//! - `retry.rs`: same-model retry, whole-chain overload retry, loading polls, jitter.
//! - `fit.rs`: context fit before sending.
//! - `discovery/`: the local servers — reported context windows (cached, refreshed in the
//!   background), LM Studio preload, `localService` on-demand start; owns its background tasks.
//! - [`cooldown`]: the ladder and lanes (`policy.rs`), scope and probe slots (`book.rs`);
//!   [`StateStore`] (`store.rs`) keeps them in `state.db`; [`Clock`] (`clock.rs`) is their time.
//! - [`RoutedStream`], [`RoutedCompletion`] (`stream.rs`); [`Attempt`] (`attempt.rs`);
//!   [`RouteError`] (`error.rs`); `log.rs` the `model_fallback_decision` events.
//!
//! Never imports an HTTP library: upstreams are reached only through `providers`.

mod attempt;
mod call;
mod chain;
pub mod clock;
pub mod cooldown;
mod credential;
mod deadline;
mod decision;
mod discovery;
mod error;
mod fit;
mod log;
mod options;
mod retry;
mod router;
mod run;
mod store;
mod stream;

pub use attempt::{Attempt, AttemptOutcome, SkipReason};
pub use chain::{build_chain, Candidate, Chain};
pub use clock::{Clock, ManualClock, SystemClock, TokioClock};
pub use cooldown::{CooldownPolicy, CooldownView};
pub use credential::credential_id;
pub use deadline::Deadlines;
pub use error::{RouteError, RouteErrorDetail, RouteErrorKind};
pub use fit::prompt_room;
pub use log::DecisionKind;
pub use options::RouterOptions;
pub use router::{RouteRequest, Router};
pub use store::{StateError, StateStore};
pub use stream::{RoutedCompletion, RoutedStream};

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send_unpin<T: Send + Unpin>() {}

    #[test]
    fn public_types_cross_threads() {
        assert_send_sync::<super::Router>();
        assert_send_unpin::<super::RoutedStream>();
        assert_send_sync::<super::RouteError>();
    }
}
