//! One request's walk through its chain: decide about each candidate (its context window as its
//! server reports it when the config has none), make its local server ready (`localService`,
//! LM Studio preload), call it under its deadlines, retry or wait where the policy says, cool
//! failures down, and stop at the first candidate that commits — or give back a [`RouteError`]
//! listing every attempt.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use llm::{FailoverReason, ModelRequest};
use providers::classify::TransportFailure;
use providers::ProviderError;
use tokio::time::Instant;

use crate::attempt::{Attempt, AttemptOutcome, SkipReason};
use crate::call::{open, CommitAt, Opened};
use crate::chain::{build_chain, Candidate, Chain};
use crate::cooldown::book::Failure;
use crate::deadline::{Budget, Deadlines};
use crate::decision::{decide, order, Decision, DecisionContext};
use crate::discovery::{judged, LocalServerError, Prepared};
use crate::error::RouteError;
use crate::log::{DecisionKind, DecisionLog};
use crate::retry::{loading_poll, overload_chain_retry, same_model_retry};
use crate::router::{Inner, RouteRequest};

/// The candidate that committed, with what it sent so far.
pub(crate) struct Won {
    pub candidate: Candidate,
    pub opened: Opened,
    pub deadlines: Deadlines,
    pub budget: Budget,
    pub attempts: Vec<Attempt>,
    /// Held while the answer is read (the `localService` lease).
    pub prepared: Prepared,
}

/// How a candidate's turn ended, when it did not win.
enum Turn {
    /// Go on with the next candidate.
    Next(FailoverReason),
    /// Stop the request with this error.
    Stop(RouteError),
}

pub(crate) struct Run {
    inner: Arc<Inner>,
    requested: String,
    chain: Chain,
    request: ModelRequest,
    commit: CommitAt,
    budget: Budget,
    estimated_tokens: u64,
    attempts: Vec<Attempt>,
    auth_failed: HashSet<String>,
    min_window: Option<u64>,
    last_error: Option<ProviderError>,
    /// Context limits from the servers' reports, by chain position, for models the config gives none.
    discovered_limits: HashMap<usize, u64>,
}

impl Run {
    pub fn new(inner: Arc<Inner>, request: RouteRequest, commit: CommitAt) -> Result<Run, RouteError> {
        let chain = build_chain(
            &inner.config,
            request.model.as_deref(),
            request.strict,
            request.fallbacks.as_deref(),
        )?;
        let requested = chain.candidates[0].key();
        let attempts = chain
            .unresolved
            .iter()
            .map(|raw| Attempt::skipped(raw.clone(), SkipReason::UnknownModel))
            .collect();
        let budget = Budget::starting_now(inner.request_budget());
        let estimated_tokens = providers::estimate_prompt_tokens(&request.request);
        Ok(Run {
            inner,
            requested,
            chain,
            request: request.request,
            commit,
            budget,
            estimated_tokens,
            attempts,
            auth_failed: HashSet::new(),
            min_window: None,
            last_error: None,
            discovered_limits: HashMap::new(),
        })
    }

    pub async fn run(mut self) -> Result<Won, RouteError> {
        let order = order(&self.chain.candidates, &self.inner.book);
        // `Some(set)`: a retry pass over these candidates only, their cooldowns bypassed.
        let mut only: Option<HashSet<usize>> = None;
        let mut overload_pass = 0u32;
        let mut waited_for_cooldown = false;
        loop {
            let mut failures: Vec<(usize, FailoverReason)> = Vec::new();
            let mut cooling: Vec<(usize, std::time::Duration)> = Vec::new();
            for (pos, &index) in order.iter().enumerate() {
                if only.as_ref().is_some_and(|set| !set.contains(&index)) {
                    continue;
                }
                let candidate = self.chain.candidates[index].clone();
                let retry_pass = only.is_some();
                if !retry_pass {
                    let judged = self.judged(&candidate).await;
                    match self.decide(&judged, pos == 0) {
                        Decision::Run => {}
                        Decision::Probe(blocked) => self.log(
                            &candidate,
                            DecisionKind::ProbeCooldownCandidate,
                            Some(blocked.entry.reason),
                            None,
                            None,
                            None,
                        ),
                        Decision::Skip(reason) => {
                            if let SkipReason::CoolingDown { reason: why, remaining, .. } = &reason {
                                if !matches!(why, FailoverReason::Auth | FailoverReason::AuthPermanent) {
                                    cooling.push((index, *remaining));
                                }
                            }
                            let detail = reason.to_string();
                            let next = self.next_label(&order, pos);
                            self.log(
                                &candidate,
                                DecisionKind::SkipCandidate,
                                None,
                                None,
                                Some(&detail),
                                next.as_deref(),
                            );
                            self.attempts.push(Attempt::skipped(candidate.key(), reason));
                            continue;
                        }
                    }
                }
                let fallback_left = pos + 1 < order.len();
                match self.take_turn(&candidate, &order[pos + 1..], fallback_left, retry_pass).await {
                    Ok((opened, prepared)) => {
                        let deadlines = Deadlines::for_target(&candidate.target, &self.inner.options);
                        return Ok(Won {
                            candidate,
                            opened,
                            deadlines,
                            budget: self.budget,
                            attempts: self.attempts,
                            prepared,
                        });
                    }
                    Err(Turn::Stop(error)) => return Err(error),
                    Err(Turn::Next(reason)) => failures.push((index, reason)),
                }
            }
            let all_overloaded =
                !failures.is_empty() && failures.iter().all(|(_, r)| *r == FailoverReason::Overloaded);
            if all_overloaded {
                if let Some(wait) = overload_chain_retry(
                    overload_pass,
                    self.budget.remaining(),
                    &self.inner.options,
                    &self.inner.jitter,
                ) {
                    tracing::info!(target: "clawgate::router", pass = overload_pass + 1, wait_ms = wait.as_millis() as u64, "every candidate is overloaded; retrying the chain");
                    tokio::time::sleep(wait).await;
                    overload_pass += 1;
                    only = Some(failures.iter().map(|(i, _)| *i).collect());
                    continue;
                }
            }
            // Nothing was called because everything is cooling down: try the soonest one to recover,
            // if it recovers within the wait limit and the budget.
            if failures.is_empty() && !waited_for_cooldown {
                if let Some(&(index, remaining)) = cooling.iter().min_by_key(|(_, r)| *r) {
                    let wait = remaining + std::time::Duration::from_millis(1);
                    if wait <= self.inner.options.max_cooldown_wait && self.budget.fits(wait) {
                        tracing::info!(target: "clawgate::router", candidate = %self.chain.candidates[index].key(), wait_ms = wait.as_millis() as u64, "every candidate is cooling down; waiting for the soonest");
                        tokio::time::sleep(wait).await;
                        waited_for_cooldown = true;
                        only = Some(HashSet::from([index]));
                        continue;
                    }
                    return Err(RouteError::exhausted(self.attempts, self.last_error, Some(remaining)));
                }
            }
            return Err(self.exhausted());
        }
    }

    fn exhausted(self) -> RouteError {
        let all_context = !self.attempts.is_empty()
            && self.attempts.iter().all(|a| {
                matches!(
                    a.outcome,
                    AttemptOutcome::Skipped(SkipReason::ContextTooSmall { .. } | SkipReason::UnknownModel)
                )
            })
            && self
                .attempts
                .iter()
                .any(|a| matches!(a.outcome, AttemptOutcome::Skipped(SkipReason::ContextTooSmall { .. })));
        if all_context {
            return RouteError::context_fits_nowhere(self.attempts);
        }
        let retry_after = self.last_error.as_ref().and_then(|e| e.retry_after);
        RouteError::exhausted(self.attempts, self.last_error, retry_after)
    }

    fn decide(&self, candidate: &Candidate, first: bool) -> Decision {
        let ctx = DecisionContext {
            book: &self.inner.book,
            options: &self.inner.options,
            request: &self.request,
            estimated_tokens: self.estimated_tokens,
            auth_failed: &self.auth_failed,
            min_window: self.min_window,
            has_fallbacks: self.chain.has_fallbacks,
        };
        decide(candidate, first, &ctx)
    }

    /// `candidate` with the context window its server reports, when the config sets none.
    async fn judged(&mut self, candidate: &Candidate) -> Candidate {
        let window = self.inner.local.discovered_window(&self.inner.config, candidate).await;
        let judged = judged(candidate, window);
        if window.is_some() {
            self.discovered_limits.insert(candidate.position, judged.model().context_limit());
        }
        judged
    }

    /// The context limit of a candidate: as discovered when the config gives none, else as configured.
    fn context_limit(&self, candidate: &Candidate) -> u64 {
        self.discovered_limits
            .get(&candidate.position)
            .copied()
            .unwrap_or_else(|| candidate.model().context_limit())
    }

    /// Calls one candidate, with its local server made ready first, its same-model retry and its
    /// loading waits.
    async fn take_turn(
        &mut self,
        candidate: &Candidate,
        later: &[usize],
        fallback_left: bool,
        retry_pass: bool,
    ) -> Result<(Opened, Prepared), Turn> {
        let deadlines = Deadlines::for_target(&candidate.target, &self.inner.options);
        let preparing = Instant::now();
        let prepared =
            match self.inner.local.prepare(&self.inner.config, candidate, deadlines, self.budget).await {
                Ok(prepared) => prepared,
                Err(error) => return Err(self.not_ready(candidate, later, error, preparing.elapsed())),
            };
        let mut request = self.request.clone();
        request.model = candidate.model_id().to_owned();
        let mut retried = retry_pass;
        let mut loading_polls = 0u32;
        let loading_since = Instant::now();
        loop {
            let started = Instant::now();
            let result =
                open(&self.inner.client, &candidate.target, &request, deadlines, self.budget, self.commit)
                    .await;
            let elapsed = started.elapsed();
            let error = match result {
                Ok(opened) => {
                    self.attempts.push(Attempt {
                        model: candidate.key(),
                        outcome: AttemptOutcome::Answered,
                        status: None,
                        elapsed,
                        detail: None,
                    });
                    self.inner.book.record_success(
                        candidate.provider(),
                        &candidate.credential,
                        candidate.model_id(),
                    );
                    self.log(candidate, DecisionKind::CandidateSucceeded, None, None, None, None);
                    return Ok((opened, prepared));
                }
                Err(error) => error,
            };
            let reason = error.reason;
            let detail = error.kind.to_string();
            self.attempts.push(Attempt {
                model: candidate.key(),
                outcome: AttemptOutcome::Failed(reason),
                status: error.status(),
                elapsed,
                detail: Some(detail.clone()),
            });
            let next = later.first().map(|&i| self.chain.candidates[i].key());
            self.log(
                candidate,
                DecisionKind::CandidateFailed,
                Some(reason),
                error.status(),
                Some(&detail),
                next.as_deref(),
            );
            match reason {
                FailoverReason::ContentFilter | FailoverReason::Refusal => {
                    return Err(Turn::Stop(RouteError::answer(std::mem::take(&mut self.attempts), error)));
                }
                FailoverReason::ContextOverflow => {
                    let window = self.context_limit(candidate);
                    let larger_later =
                        later.iter().any(|&i| self.context_limit(&self.chain.candidates[i]) > window);
                    if !larger_later {
                        return Err(Turn::Stop(RouteError::answer(
                            std::mem::take(&mut self.attempts),
                            error,
                        )));
                    }
                    self.min_window = Some(self.min_window.map_or(window, |w| w.max(window)));
                    self.last_error = Some(error);
                    return Err(Turn::Next(reason));
                }
                FailoverReason::ModelLoading if candidate.target.local => {
                    let wait = loading_poll(loading_polls, &self.inner.options);
                    if loading_since.elapsed() + wait <= deadlines.first_token && self.budget.fits(wait) {
                        tokio::time::sleep(wait).await;
                        loading_polls += 1;
                        continue;
                    }
                }
                FailoverReason::RateLimit | FailoverReason::Overloaded if !retried => {
                    let options = &self.inner.options;
                    if let Some(wait) = same_model_retry(
                        reason,
                        error.retry_after,
                        self.budget.remaining(),
                        fallback_left,
                        options,
                        &self.inner.jitter,
                    ) {
                        retried = true;
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                }
                _ => {}
            }
            if matches!(reason, FailoverReason::Auth | FailoverReason::AuthPermanent) {
                self.auth_failed.insert(candidate.provider().to_owned());
            }
            let unreachable = error.transport_failure().is_some_and(server_unreachable);
            let failure = Failure {
                provider: candidate.provider(),
                credential: &candidate.credential,
                model: candidate.model_id(),
                reason,
                retry_after: error.retry_after,
                unreachable,
            };
            self.inner.book.record_failure(&failure, &self.inner.policy);
            self.last_error = Some(error);
            return Err(Turn::Next(reason));
        }
    }

    /// A local server that could not be made ready: recorded like a failed call, then the next one.
    fn not_ready(
        &mut self,
        candidate: &Candidate,
        later: &[usize],
        error: LocalServerError,
        elapsed: std::time::Duration,
    ) -> Turn {
        let reason = error.reason();
        let detail = error.to_string();
        self.attempts.push(Attempt {
            model: candidate.key(),
            outcome: AttemptOutcome::Failed(reason),
            status: None,
            elapsed,
            detail: Some(detail.clone()),
        });
        let next = later.first().map(|&i| self.chain.candidates[i].key());
        self.log(
            candidate,
            DecisionKind::CandidateFailed,
            Some(reason),
            None,
            Some(&detail),
            next.as_deref(),
        );
        let failure = Failure {
            provider: candidate.provider(),
            credential: &candidate.credential,
            model: candidate.model_id(),
            reason,
            retry_after: None,
            unreachable: error.server_down(),
        };
        self.inner.book.record_failure(&failure, &self.inner.policy);
        Turn::Next(reason)
    }

    fn next_label(&self, order: &[usize], pos: usize) -> Option<String> {
        order.get(pos + 1).map(|&i| self.chain.candidates[i].key())
    }

    fn log(
        &self,
        candidate: &Candidate,
        decision: DecisionKind,
        reason: Option<FailoverReason>,
        status: Option<u16>,
        error: Option<&str>,
        next: Option<&str>,
    ) {
        let key = candidate.key();
        DecisionLog {
            decision,
            requested: &self.requested,
            candidate: &key,
            attempt: candidate.position + 1,
            total: self.chain.candidates.len(),
            reason,
            status,
            error,
            next_candidate: next,
            is_primary: candidate.is_primary,
            fallback_configured: self.chain.has_fallbacks,
        }
        .emit();
    }
}

/// Failures that mean nothing at that address answers: every model behind it is down.
fn server_unreachable(failure: TransportFailure) -> bool {
    matches!(
        failure,
        TransportFailure::ConnectRefused
            | TransportFailure::Unreachable
            | TransportFailure::Dns
            | TransportFailure::Tls
            | TransportFailure::ConnectTimeout
    )
}
