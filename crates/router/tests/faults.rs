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

/// One module per fault, each with the three checks.
macro_rules! fault_cases {
    ($($module:ident: $name:literal, $fault:expr, $expect:expr;)*) => {$(
        mod $module {
            use super::*;

            fn case() -> Case {
                Case { name: $name, fault: $fault, expect: $expect }
            }

            #[tokio::test(start_paused = true)]
            async fn streamed_with_a_healthy_fallback() {
                super::streamed_with_a_healthy_fallback(case()).await;
            }

            #[tokio::test(start_paused = true)]
            async fn streamed_without_a_fallback() {
                super::streamed_without_a_fallback(case()).await;
            }

            #[tokio::test(start_paused = true)]
            async fn whole_completion_with_a_fallback() {
                super::whole_completion_with_a_fallback(case()).await;
            }
        }
    )*};
}

fn fail_over(reason: R, primary_requests: RangeInclusive<usize>) -> Expect {
    Expect::FailOver { reason, primary_requests }
}

fault_cases! {
    http_429_with_retry_after: "429 with Retry-After", Fault::RateLimited { retry_after: Some(2) }, fail_over(R::RateLimit, 2..=2);
    http_429_without_retry_after: "429 without Retry-After", Fault::RateLimited { retry_after: None }, fail_over(R::RateLimit, 2..=2);
    http_500: "500", Fault::ServerError, fail_over(R::ServerError, 1..=1);
    // LM Studio's bare "Service Unavailable" is a timeout-class failure (no "overloaded" in it).
    http_503: "503", Fault::Unavailable, fail_over(R::Timeout, 1..=1);
    invalid_api_key: "invalid api key", Fault::InvalidApiKey, fail_over(R::Auth, 1..=1);
    reset_before_headers: "reset before headers", Fault::ResetBeforeHeaders, fail_over(R::Timeout, 1..=1);
    closed_before_headers: "closed before headers", Fault::CloseBeforeHeaders, fail_over(R::Timeout, 1..=1);
    no_response: "no response", Fault::NoResponse, fail_over(R::Timeout, 1..=1);
    headers_after_10_min: "headers after 10 min", Fault::HeadersAfter(Duration::from_secs(600)), fail_over(R::Timeout, 1..=1);
    first_token_after_10_min: "first token after 10 min", Fault::FirstTokenAfter(Duration::from_secs(600)), fail_over(R::Timeout, 1..=1);
    cut_before_any_token: "cut before any token", Fault::CutAfter { tokens: 0 }, fail_over(R::Timeout, 1..=1);
    stall_before_any_token: "stall before any token", Fault::StallAfter { tokens: 0 }, fail_over(R::Timeout, 1..=1);
    // LM Studio's "No models loaded": polled at 1, 3, 7, 12, 17, 22, 27 s, within the 30 s budget.
    model_not_loaded: "model not loaded", Fault::ModelNotLoaded, fail_over(R::ModelLoading, 8..=8);
    cut_after_2_tokens: "cut after 2 tokens", Fault::CutAfter { tokens: 2 }, Expect::MidStream { reason: R::Timeout };
    stall_after_2_tokens: "stall after 2 tokens", Fault::StallAfter { tokens: 2 }, Expect::MidStream { reason: R::Timeout };
    malformed_chunk: "malformed chunk", Fault::MalformedChunk { after: 1 }, Expect::MidStream { reason: R::Timeout };
    // LM Studio's error event: "The model has crashed without additional information."
    error_event_after_1_token: "error event after 1 token", Fault::ErrorEventAfter { tokens: 1 }, Expect::MidStream { reason: R::ServerError };
    no_terminal: "no terminal", Fault::NoTerminal, Expect::MidStream { reason: R::Timeout };
    context_length_exceeded: "context length exceeded", Fault::ContextLengthExceeded, Expect::Answer { reason: R::ContextOverflow };
    content_filter: "content filter", Fault::ContentFilter, Expect::Answer { reason: R::ContentFilter };
}

struct Setup {
    primary: MockUpstream,
    fallback: MockUpstream,
    router: router::Router,
}

async fn setup(with_fallback: bool, fault: &Fault) -> Setup {
    let primary = common::start(Flavor::LmStudio, "qwen/qwen3-8b").await;
    let fallback = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    primary
        .set_default(Script::text("primary answer one two three").usage(999, 999).with_fault(fault.clone()));
    fallback.set_default(Script::text(FALLBACK_TEXT).usage(11, 4));
    // The fallback's window is smaller, so a context overflow on the primary is not failed over.
    let p = Provider::on("lmstudio", &primary, "qwen/qwen3-8b").timeout(PRIMARY_TIMEOUT).window(32_768);
    let f = Provider::on("vllm", &fallback, "Qwen/Qwen3-8B").window(16_384);
    let fallbacks: &[&str] = if with_fallback { &["vllm/Qwen/Qwen3-8B"] } else { &[] };
    let cfg = config(&[p, f], "lmstudio/qwen/qwen3-8b", fallbacks);
    Setup { primary, fallback, router: router(cfg) }
}

/// Bound on any one request: no hang (virtual time; the primary's deadlines are 30 s).
const NO_HANG: Duration = Duration::from_secs(300);

async fn streamed_with_a_healthy_fallback(case: Case) {
    {
        let s = setup(true, &case.fault).await;
        let started = Instant::now();
        let result =
            tokio::time::timeout(NO_HANG, s.router.stream(default_route("hello"))).await.expect("no hang");
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
                assert!(
                    primary_requests.contains(&inference(&s.primary).len()),
                    "{name}: primary saw {}",
                    inference(&s.primary).len()
                );
                assert_eq!(inference(&s.fallback).len(), 1, "{name}");
                assert!(matches!(attempts.last().unwrap().outcome, AttemptOutcome::Answered), "{name}");
                assert!(
                    attempts.iter().any(|a| a.model == "lmstudio/qwen/qwen3-8b" && a.failure().is_some()),
                    "{name}: {attempts:?}"
                );
            }
            Expect::MidStream { reason } => {
                let stream = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b", "{name}");
                let d = drain(stream, NO_HANG).await;
                let error = d
                    .error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: a cut answer must not end as a success: {d:?}"));
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

async fn streamed_without_a_fallback(case: Case) {
    {
        let s = setup(false, &case.fault).await;
        let name = case.name;
        let result =
            tokio::time::timeout(NO_HANG, s.router.stream(default_route("hello"))).await.expect("no hang");
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

async fn whole_completion_with_a_fallback(case: Case) {
    {
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
