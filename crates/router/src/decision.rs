//! Per-candidate decisions before a call (openclaw-behaviour §5.2): run it, let it through as the
//! half-open probe of its cooldown, or skip it without a round trip — and the order in which the
//! chain is walked.

use std::collections::HashSet;

use llm::{FailoverReason, ModelRequest};

use crate::attempt::SkipReason;
use crate::chain::{missing_credential, Candidate};
use crate::cooldown::{Blocked, CooldownBook};
use crate::fit;
use crate::options::RouterOptions;

/// What to do with a candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Run,
    /// Cooling down, but this request is its half-open probe.
    Probe(Blocked),
    Skip(SkipReason),
}

/// What the decision depends on besides the candidate.
pub struct DecisionContext<'a> {
    pub book: &'a CooldownBook,
    pub options: &'a RouterOptions,
    pub request: &'a ModelRequest,
    pub estimated_tokens: u64,
    /// Providers that failed authentication earlier in this request.
    pub auth_failed: &'a HashSet<String>,
    /// After a context overflow: only larger windows than this are worth a try.
    pub min_window: Option<u64>,
    /// The chain has more than one candidate.
    pub has_fallbacks: bool,
}

/// Decides about `candidate`; `first` is the requested model (the only one that probes).
pub fn decide(candidate: &Candidate, first: bool, ctx: &DecisionContext<'_>) -> Decision {
    if ctx.auth_failed.contains(candidate.provider()) {
        return Decision::Skip(SkipReason::ProviderAuthFailed);
    }
    if missing_credential(&candidate.target).is_some() {
        return Decision::Skip(SkipReason::MissingCredential);
    }
    let window = candidate.model().context_limit();
    if let Some(min) = ctx.min_window.filter(|min| window <= *min) {
        return Decision::Skip(SkipReason::WindowNotLarger { window: min });
    }
    if let Err((needed, available)) = fit::check(candidate.model(), ctx.request, ctx.estimated_tokens) {
        return Decision::Skip(SkipReason::ContextTooSmall { needed, available });
    }
    let Some(blocked) = ctx.book.blocked(candidate.provider(), &candidate.credential, candidate.model_id())
    else {
        return Decision::Run;
    };
    let auth = matches!(blocked.entry.reason, FailoverReason::Auth | FailoverReason::AuthPermanent);
    if first && !auth {
        // With no fallback to answer meanwhile, the probe only waits for the throttle.
        let margin = if ctx.has_fallbacks { ctx.options.probe_margin } else { std::time::Duration::MAX / 4 };
        if ctx.book.try_probe(&blocked.key, ctx.options.probe_interval, margin) {
            return Decision::Probe(blocked);
        }
    }
    let now = ctx.book.now_ms();
    Decision::Skip(SkipReason::CoolingDown {
        reason: blocked.entry.reason,
        remaining: std::time::Duration::from_millis(blocked.entry.remaining_ms(now)),
        provider_wide: blocked.key.is_provider_wide(),
    })
}

/// The order the chain is walked in: as built, except that when the requested model's whole provider
/// is cooling down for a transient reason, the other providers' candidates come before the rest of
/// that provider's (`[0, cross-provider…, same-provider…]`).
pub fn order(candidates: &[Candidate], book: &CooldownBook) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    let Some(first) = candidates.first() else { return order };
    let cooling = book
        .blocked(first.provider(), &first.credential, first.model_id())
        .is_some_and(|b| b.key.is_provider_wide() && b.entry.reason.is_transient());
    if cooling {
        order[1..].sort_by_key(|&i| candidates[i].provider() == first.provider());
    }
    order
}
