//! The structured `model_fallback_decision` log events (openclaw-behaviour §5.5): one per skipped,
//! probed, failed and answering candidate, with OpenClaw's field names.

use llm::FailoverReason;

/// What the router decided about a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    SkipCandidate,
    ProbeCooldownCandidate,
    CandidateFailed,
    CandidateSucceeded,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::SkipCandidate => "skip_candidate",
            DecisionKind::ProbeCooldownCandidate => "probe_cooldown_candidate",
            DecisionKind::CandidateFailed => "candidate_failed",
            DecisionKind::CandidateSucceeded => "candidate_succeeded",
        }
    }
}

/// One decision, as logged.
#[derive(Debug, Clone)]
pub struct DecisionLog<'a> {
    pub decision: DecisionKind,
    pub requested: &'a str,
    pub candidate: &'a str,
    /// 1-based position of the candidate in the chain, and the chain's length.
    pub attempt: usize,
    pub total: usize,
    pub reason: Option<FailoverReason>,
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    pub next_candidate: Option<&'a str>,
    pub is_primary: bool,
    pub fallback_configured: bool,
}

impl DecisionLog<'_> {
    pub fn emit(&self) {
        let reason = self.reason.map(FailoverReason::as_str).unwrap_or("");
        let outcome = match self.decision {
            DecisionKind::CandidateSucceeded => "succeeded",
            DecisionKind::CandidateFailed if self.next_candidate.is_some() => "fell_back",
            DecisionKind::CandidateFailed => "failed",
            DecisionKind::SkipCandidate => "skipped",
            DecisionKind::ProbeCooldownCandidate => "probing",
        };
        tracing::info!(
            target: "clawgate::router",
            event = "model_fallback_decision",
            decision = self.decision.as_str(),
            requested = self.requested,
            candidate = self.candidate,
            attempt = self.attempt,
            total = self.total,
            reason,
            status = self.status,
            error = self.error.unwrap_or(""),
            next_candidate = self.next_candidate.unwrap_or(""),
            is_primary = self.is_primary,
            fallback_configured = self.fallback_configured,
            fallbackStepFromModel = self.candidate,
            fallbackStepToModel = self.next_candidate.unwrap_or(""),
            fallbackStepFromFailureReason = reason,
            fallbackStepFromFailureDetail = self.error.unwrap_or(""),
            fallbackStepFinalOutcome = outcome,
            "model_fallback_decision"
        );
    }
}
