//! Every testkit fault on the primary, with a healthy fallback and without one, streamed and whole:
//! the caller gets the right outcome, the upstreams see a bounded number of requests, nothing hangs
//! and no cut answer is reported as a success. Virtual time.

mod common;

use std::ops::RangeInclusive;
use std::time::Duration;

use common::{config, default_route, drain, inference, router, Provider};
use llm::FailoverReason as R;
use router::{AttemptOutcome, RouteErrorKind, RouteRequest};
use testkit::{Fault, Flavor, MockUpstream, Script};
use tokio::time::Instant;

/// What the caller must get when the primary always has `fault`.
#[derive(Debug, Clone)]
enum Expect {
    /// Nothing visible came from the primary: the fallback answers invisibly. Without a fallback the
    /// request fails with `reason`. The primary sees this many requests.
    FailOver { reason: R, primary_requests: RangeInclusive<usize> },
    /// Output had started: the stream ends with an error of `reason` (a whole completion still fails
    /// over, nothing having reached the caller).
    MidStream { reason: R },
    /// The answer is the error: given back with its reason, never failed over.
    Answer { reason: R },
}

struct Case {
    name: &'static str,
    fault: Fault,
    expect: Expect,
}

const FALLBACK_TEXT: &str = "answer from the fallback";
const PRIMARY_TIMEOUT: u64 = 30;

fn cases() -> Vec<Case> {
    let s = Duration::from_secs;
    let fail_over = |reason, n: RangeInclusive<usize>| Expect::FailOver { reason, primary_requests: n };
    vec![
        Case { name: "429 with Retry-After", fault: Fault::RateLimited { retry_after: Some(2) }, expect: fail_over(R::RateLimit, 2..=2) },
        Case { name: "429 without Retry-After", fault: Fault::RateLimited { retry_after: None }, expect: fail_over(R::RateLimit, 2..=2) },
        Case { name: "500", fault: Fault::ServerError, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "503", fault: Fault::Unavailable, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "invalid api key", fault: Fault::InvalidApiKey, expect: fail_over(R::Auth, 1..=1) },
        Case { name: "reset before headers", fault: Fault::ResetBeforeHeaders, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "closed before headers", fault: Fault::CloseBeforeHeaders, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "no response", fault: Fault::NoResponse, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "headers after 10 min", fault: Fault::HeadersAfter(s(600)), expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "first token after 10 min", fault: Fault::FirstTokenAfter(s(600)), expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "cut before any token", fault: Fault::CutAfter { tokens: 0 }, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "stall before any token", fault: Fault::StallAfter { tokens: 0 }, expect: fail_over(R::Timeout, 1..=1) },
        Case { name: "model not loaded", fault: Fault::ModelNotLoaded, expect: fail_over(R::ModelLoading, 1..=8) },
        Case { name: "cut after 2 tokens", fault: Fault::CutAfter { tokens: 2 }, expect: Expect::MidStream { reason: R::Timeout } },
        Case { name: "stall after 2 tokens", fault: Fault::StallAfter { tokens: 2 }, expect: Expect::MidStream { reason: R::Timeout } },
        Case { name: "malformed chunk", fault: Fault::MalformedChunk { after: 1 }, expect: Expect::MidStream { reason: R::Timeout } },
        Case { name: "error event after 1 token", fault: Fault::ErrorEventAfter { tokens: 1 }, expect: Expect::MidStream { reason: R::Timeout } },
        Case { name: "no terminal", fault: Fault::NoTerminal, expect: Expect::MidStream { reason: R::Timeout } },
        Case { name: "context length exceeded", fault: Fault::ContextLengthExceeded, expect: Expect::Answer { reason: R::ContextOverflow } },
        Case { name: "content filter", fault: Fault::ContentFilter, expect: Expect::Answer { reason: R::ContentFilter } },
    ]
}

struct Setup {
    primary: MockUpstream,
    fallback: MockUpstream,
    router: router::Router,
}

async fn setup(with_fallback: bool, fault: &Fault) -> Setup {
    let primary = MockUpstream::start(Flavor::LmStudio).await;
    let fallback = MockUpstream::start(Flavor::Vllm).await;
    primary.set_default(Script::text("primary answer one two three").usage(999, 999).with_fault(fault.clone()));
    fallback.set_default(Script::text(FALLBACK_TEXT).usage(11, 4));
    // The fallback's window is smaller, so a context overflow on the primary is not failed over.
    let p = Provider::new("lmstudio", primary.base_url(), "qwen/qwen3-8b").timeout(PRIMARY_TIMEOUT).window(32_768);
    let f = Provider::new("vllm", fallback.base_url(), "Qwen/Qwen3-8B").window(16_384);
    let fallbacks: &[&str] = if with_fallback { &["vllm/Qwen/Qwen3-8B"] } else { &[] };
    let cfg = config(&[p, f], "lmstudio/qwen/qwen3-8b", fallbacks);
    Setup { primary, fallback, router: router(cfg) }
}

/// Bound on any one request: no hang (virtual time; the primary's deadlines are 30 s).
const NO_HANG: Duration = Duration::from_secs(300);

#[tokio::test(start_paused = true)]
async fn every_fault_streamed_with_a_healthy_fallback() {
    for case in cases() {
        let s = setup(true, &case.fault).await;
        let started = Instant::now();
        let result = tokio::time::timeout(NO_HANG, s.router.stream(default_route("hello"))).await.expect("no hang");
        let name = case.name;
        match &case.expect {
            Expect::FailOver { primary_requests, .. } => {
                let stream = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B", "{name}");
                let attempts = stream.attempts();
                let d = drain(stream, NO_HANG).await;
                assert!(d.error.is_none(), "{name}: {:?}", d.error);
                assert_eq!(d.text, FALLBACK_TEXT, "{name}: only the fallback's text, nothing of the primary");
                assert!(d.stopped(), "{name}");
                assert!(primary_requests.contains(&inference(&s.primary).len()), "{name}: primary saw {}", inference(&s.primary).len());
                assert_eq!(inference(&s.fallback).len(), 1, "{name}");
                assert!(matches!(attempts.last().unwrap().outcome, AttemptOutcome::Answered), "{name}");
                assert!(attempts.iter().any(|a| a.model == "lmstudio/qwen/qwen3-8b" && a.failure().is_some()), "{name}: {attempts:?}");
            }
            Expect::MidStream { reason } => {
                let stream = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b", "{name}");
                let d = drain(stream, NO_HANG).await;
                let error = d.error.as_ref().unwrap_or_else(|| panic!("{name}: a cut answer must not end as a success: {d:?}"));
                assert_eq!(error.reason, *reason, "{name}: {error}");
                assert!(error.output_started && error.kind == RouteErrorKind::MidStream, "{name}");
                assert_eq!(d.after_error, 0, "{name}: nothing after the error");
                assert!(!d.text.is_empty(), "{name}: the partial output was delivered");
                assert_eq!(inference(&s.primary).len(), 1, "{name}");
                assert_eq!(inference(&s.fallback).len(), 0, "{name}: no switch after output started");
            }
            Expect::Answer { reason } => {
                let error = result.err().unwrap_or_else(|| panic!("{name}: expected an error"));
                assert_eq!(error.reason, *reason, "{name}: {error}");
                assert_eq!(error.kind, RouteErrorKind::Answer, "{name}");
                assert_eq!(inference(&s.primary).len(), 1, "{name}: never retried");
                assert_eq!(inference(&s.fallback).len(), 0, "{name}: never failed over");
            }
        }
        assert!(started.elapsed() < NO_HANG, "{name}");
    }
}

#[tokio::test(start_paused = true)]
async fn every_fault_streamed_without_a_fallback() {
    for case in cases() {
        let s = setup(false, &case.fault).await;
        let name = case.name;
        let result = tokio::time::timeout(NO_HANG, s.router.stream(default_route("hello"))).await.expect("no hang");
        match &case.expect {
            Expect::FailOver { reason, primary_requests } => {
                let error = result.err().unwrap_or_else(|| panic!("{name}: expected an error"));
                assert_eq!(error.reason, *reason, "{name}: {error}");
                assert_eq!(error.kind, RouteErrorKind::Exhausted, "{name}");
                assert!(!error.output_started, "{name}");
                let n = inference(&s.primary).len();
                // Without a fallback, a capped Retry-After is waited for and retried once too.
                assert!(primary_requests.contains(&n), "{name}: primary saw {n}");
                assert!(error.to_string().contains("lmstudio/qwen/qwen3-8b"), "{name}: {error}");
            }
            Expect::MidStream { reason } => {
                let d = drain(result.unwrap_or_else(|e| panic!("{name}: {e}")), NO_HANG).await;
                assert_eq!(d.error.as_ref().map(|e| e.reason), Some(*reason), "{name}: {d:?}");
                assert_eq!(inference(&s.primary).len(), 1, "{name}");
            }
            Expect::Answer { reason } => {
                assert_eq!(result.err().map(|e| e.reason), Some(*reason), "{name}");
                assert_eq!(inference(&s.primary).len(), 1, "{name}");
            }
        }
        assert_eq!(inference(&s.fallback).len(), 0, "{name}");
    }
}

#[tokio::test(start_paused = true)]
async fn every_fault_whole_completion_with_a_fallback() {
    for case in cases() {
        let s = setup(true, &case.fault).await;
        let name = case.name;
        let request = RouteRequest { request: common::ask("hello"), ..default_route("hello") };
        let result = tokio::time::timeout(NO_HANG, s.router.complete(request)).await.expect("no hang");
        match &case.expect {
            // Nothing reaches the caller before the end, so even a cut answer fails over.
            Expect::FailOver { .. } | Expect::MidStream { .. } => {
                let done = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(done.answered_by, "vllm/Qwen/Qwen3-8B", "{name}");
                assert_eq!(done.completion.response.message.text(), FALLBACK_TEXT, "{name}");
                assert_eq!(inference(&s.fallback).len(), 1, "{name}");
                // Usage is the fallback's only.
                let usage = done.completion.usage;
                assert_eq!((usage.input, usage.output), (11, 4), "{name}: {usage:?}");
            }
            Expect::Answer { reason } => {
                assert_eq!(result.err().map(|e| e.reason), Some(*reason), "{name}");
                assert_eq!(inference(&s.fallback).len(), 0, "{name}");
            }
        }
    }
}
