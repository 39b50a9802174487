//! Retry, skip and ordering policy, asserted on what the caller got and what each upstream saw and
//! when. Virtual time.

mod common;

use std::time::Duration;

use common::{ask, config, default_route, drain, inference, router, start, Provider};
use llm::FailoverReason as R;
use router::{AttemptOutcome, RouteErrorKind, RouteRequest, SkipReason};
use serde_json::json;
use testkit::{Fault, Flavor, Script};
use tokio::time::Instant;

const A: &str = "qwen/qwen3-8b";
const B: &str = "Qwen/Qwen3-8B";

fn gaps(up: &testkit::MockUpstream) -> Vec<Duration> {
    let at: Vec<Instant> = inference(up).iter().map(|r| r.at).collect();
    at.windows(2).map(|w| w[1] - w[0]).collect()
}

fn outcomes(attempts: &[router::Attempt]) -> Vec<(String, String)> {
    attempts
        .iter()
        .map(|a| {
            let o = match &a.outcome {
                AttemptOutcome::Answered => "answered".to_owned(),
                AttemptOutcome::Failed(r) => format!("failed:{r}"),
                AttemptOutcome::Skipped(s) => format!("skipped:{}", skip_name(s)),
            };
            (a.model.clone(), o)
        })
        .collect()
}

fn skip_name(s: &SkipReason) -> &'static str {
    match s {
        SkipReason::CoolingDown { .. } => "cooling",
        SkipReason::ProviderAuthFailed => "provider_auth",
        SkipReason::MissingCredential => "no_key",
        SkipReason::ContextTooSmall { .. } => "too_small",
        SkipReason::WindowNotLarger { .. } => "window_not_larger",
        SkipReason::UnknownModel => "unknown",
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[tokio::test(start_paused = true)]
async fn retry_after_that_fits_is_waited_for_on_the_same_model() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    primary.push(Script::fault(Fault::RateLimited { retry_after: Some(3) }));
    primary.set_default(Script::text("after the wait"));
    let cfg = config(
        &[Provider::on("lmstudio", &primary, A).timeout(30), Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &[],
    );
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b");
    assert_eq!(drain(stream, Duration::from_secs(60)).await.text, "after the wait");
    let g = gaps(&primary);
    assert_eq!(g.len(), 1);
    assert!(
        g[0] >= Duration::from_secs(3) && g[0] < Duration::from_millis(3100),
        "spaced by Retry-After: {g:?}"
    );
    assert!(router.cooldowns().is_empty(), "the retry succeeded: nothing cools down");
}

#[tokio::test(start_paused = true)]
async fn a_long_retry_after_moves_on_and_cools_the_model_that_long() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    primary.set_default(Script::fault(Fault::RateLimited { retry_after: Some(45) }));
    let cfg = config(
        &[Provider::on("lmstudio", &primary, A), Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let started = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert!(started.elapsed() < Duration::from_secs(1), "no waiting when a fallback can answer");
    assert_eq!(inference(&primary).len(), 1);
    let views = router.cooldowns();
    assert_eq!(views.len(), 1);
    assert_eq!(
        (views[0].reason, views[0].remaining),
        (R::RateLimit, Duration::from_secs(45)),
        "Retry-After stretches the 30 s step"
    );
}

#[tokio::test(start_paused = true)]
async fn a_400_is_never_retried_on_the_same_model_and_cools_nothing() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    let body = json!({"error": {"message": "Invalid value for 'tool_choice': unknown tool", "type": "invalid_request_error", "code": null}});
    primary.set_default(Script::raw(400, "application/json", body.to_string()));
    let cfg = config(
        &[Provider::on("lmstudio", &primary, A), Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(
        outcomes(&stream.attempts()),
        [pair("lmstudio/qwen/qwen3-8b", "failed:format"), pair("vllm/Qwen/Qwen3-8B", "answered")]
    );
    assert_eq!(inference(&primary).len(), 1);
    assert!(router.cooldowns().is_empty(), "a bad request says nothing about the model's health");
}

#[tokio::test(start_paused = true)]
async fn an_auth_failure_skips_the_providers_other_models() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    primary.set_default(Script::fault(Fault::InvalidApiKey));
    let local = Provider::on("lmstudio", &primary, A).model_with_window("gemma-3", 32_768);
    let cfg = config(
        &[local, Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &["lmstudio/gemma-3", "vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(
        outcomes(&stream.attempts()),
        [
            pair("lmstudio/qwen/qwen3-8b", "failed:auth"),
            pair("lmstudio/gemma-3", "skipped:provider_auth"),
            pair("vllm/Qwen/Qwen3-8B", "answered"),
        ]
    );
    assert_eq!(inference(&primary).len(), 1, "the second model of the provider was not tried");
    // The next request skips the whole provider without a round trip.
    let next = router.stream(RouteRequest::new("lmstudio/gemma-3", ask("again"))).await.unwrap();
    assert_eq!(next.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert_eq!(inference(&primary).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn overload_everywhere_retries_the_whole_chain_with_growing_spacing() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    let overloaded = json!({"error": {"message": "The engine is currently overloaded, please try again later", "type": "server_error"}});
    let busy = Script::raw(503, "application/json", overloaded.to_string());
    primary.set_default(busy.clone());
    fallback.set_default(busy);
    let cfg = config(
        &[Provider::on("lmstudio", &primary, A), Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let started = Instant::now();
    let error = router.stream(default_route("hi")).await.err().expect("everything is overloaded");
    assert_eq!(error.reason, R::Overloaded);
    assert!(!error.output_started);
    // First pass: the call and its one same-model retry; then 10 whole-chain passes of one call each.
    assert_eq!(inference(&primary).len(), 12);
    assert_eq!(inference(&fallback).len(), 12);
    let chain_gaps: Vec<f64> = gaps(&primary)[1..].iter().map(Duration::as_secs_f64).collect();
    let bases = [2.5, 5.0, 10.0, 20.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0];
    for (gap, base) in chain_gaps.iter().zip(bases) {
        assert!(*gap >= base * 0.8 && *gap < base * 1.2 + 1.0, "gap {gap} vs backoff {base}: {chain_gaps:?}");
    }
    let waited = started.elapsed();
    assert!(waited > Duration::from_secs(150) && waited < Duration::from_secs(300), "{waited:?}");
    assert!(error.to_string().contains("(×"), "repeated failures are collapsed: {error}");
}

#[tokio::test(start_paused = true)]
async fn overload_that_clears_is_answered_by_the_chain_retry() {
    let primary = start(Flavor::LmStudio, A).await;
    let overloaded =
        json!({"error": {"message": "The engine is currently overloaded, please try again later"}});
    for _ in 0..4 {
        primary.push(Script::raw(503, "application/json", overloaded.to_string()));
    }
    primary.set_default(Script::text("finally"));
    let cfg = config(&[Provider::on("lmstudio", &primary, A)], "lmstudio/qwen/qwen3-8b", &[]);
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(drain(stream, Duration::from_secs(60)).await.text, "finally");
    assert_eq!(inference(&primary).len(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_prompt_too_long_for_a_window_skips_it_without_a_round_trip() {
    let small = start(Flavor::LmStudio, A).await;
    let large = start(Flavor::Vllm, B).await;
    large.set_default(Script::text("plenty of room"));
    let cfg = config(
        &[Provider::on("lmstudio", &small, A).window(4096), Provider::on("vllm", &large, B).window(131_072)],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let long = "word ".repeat(8000); // about 10 000 tokens
    let stream = router.stream(RouteRequest { request: ask(&long), ..default_route("") }).await.unwrap();
    assert_eq!(
        outcomes(&stream.attempts()),
        [pair("lmstudio/qwen/qwen3-8b", "skipped:too_small"), pair("vllm/Qwen/Qwen3-8B", "answered")]
    );
    assert_eq!(inference(&small).len(), 0);
    // Too long for every window: the caller is told to compact, nobody was called.
    let huge = "word ".repeat(200_000);
    let error = router.stream(RouteRequest { request: ask(&huge), ..default_route("") }).await.err().unwrap();
    assert_eq!(error.reason, R::ContextOverflow);
    assert!(error.to_string().contains("compact"), "{error}");
    assert_eq!(inference(&large).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_context_overflow_moves_only_to_a_larger_window() {
    let first = start(Flavor::LmStudio, A).await;
    let same = start(Flavor::Vllm, B).await;
    let larger = start(Flavor::LlamaCpp, "big").await;
    first.set_default(Script::fault(Fault::ContextLengthExceeded));
    larger.set_default(Script::text("fits here"));
    let cfg = config(
        &[
            Provider::on("lmstudio", &first, A).window(8192),
            Provider::on("vllm", &same, B).window(8192),
            Provider::on("llama-cpp", &larger, "big").window(65_536),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B", "llama-cpp/big"],
    );
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(
        outcomes(&stream.attempts()),
        [
            pair("lmstudio/qwen/qwen3-8b", "failed:context_overflow"),
            pair("vllm/Qwen/Qwen3-8B", "skipped:window_not_larger"),
            pair("llama-cpp/big", "answered"),
        ]
    );
    assert_eq!(inference(&same).len(), 0);
    assert!(router.cooldowns().is_empty(), "an overflow is the prompt's fault, not the model's");
}

#[tokio::test(start_paused = true)]
async fn when_everything_cools_the_soonest_is_waited_for() {
    let only = start(Flavor::LmStudio, A).await;
    only.push(Script::fault(Fault::ServerError));
    only.set_default(Script::text("recovered"));
    let cfg = config(&[Provider::on("lmstudio", &only, A)], "lmstudio/qwen/qwen3-8b", &[]);
    let router = router(cfg);
    let t0 = Instant::now();
    assert_eq!(router.stream(default_route("hi")).await.err().unwrap().kind, RouteErrorKind::Exhausted);
    tokio::time::advance(Duration::from_secs(5)).await;
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(drain(stream, Duration::from_secs(60)).await.text, "recovered");
    let at: Vec<u64> = inference(&only).iter().map(|r| (r.at - t0).as_secs()).collect();
    assert_eq!(at, [0, 30], "the second request waited for the window to end, then tried once");
}

#[tokio::test(start_paused = true)]
async fn a_cooling_provider_moves_other_providers_first() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let other = start(Flavor::Vllm, B).await;
    other.set_default(Script::text("from another provider"));
    let local = Provider::new("lmstudio", format!("http://{dead}/v1"), A)
        .api(other.flavor().api())
        .model_with_window("gemma-3", 32_768);
    let cfg = config(
        &[local, Provider::on("vllm", &other, B)],
        "lmstudio/qwen/qwen3-8b",
        &["lmstudio/gemma-3", "vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let first = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(
        outcomes(&first.attempts()),
        [
            pair("lmstudio/qwen/qwen3-8b", "failed:timeout"),
            pair("lmstudio/gemma-3", "skipped:cooling"),
            pair("vllm/Qwen/Qwen3-8B", "answered"),
        ],
        "connection refused cools the whole provider"
    );
    let second = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(
        outcomes(&second.attempts()),
        [pair("lmstudio/qwen/qwen3-8b", "skipped:cooling"), pair("vllm/Qwen/Qwen3-8B", "answered")],
        "the other provider comes before the cooling provider's second model"
    );
}

#[tokio::test(start_paused = true)]
async fn thinking_before_a_failure_is_never_shown() {
    let primary = start(Flavor::LmStudio, A).await;
    let fallback = start(Flavor::Vllm, B).await;
    primary.set_default(
        Script::reasoning_then_text("primary secret thoughts", "never")
            .with_fault(Fault::CutAfter { tokens: 2 }),
    );
    fallback.set_default(Script::text("clean answer"));
    let cfg = config(
        &[Provider::on("lmstudio", &primary, A), Provider::on("vllm", &fallback, B)],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let d = drain(router.stream(default_route("hi")).await.unwrap(), Duration::from_secs(60)).await;
    assert!(d.error.is_none());
    assert_eq!(d.text, "clean answer");
    assert!(!d.thinking.contains("secret"), "held-back thinking of a failed candidate is dropped: {d:?}");
    assert_eq!(inference(&primary).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_local_primary_fails_over_to_a_hosted_model_in_another_dialect() {
    let local = start(Flavor::LmStudio, A).await;
    let hosted = start(Flavor::Anthropic, "claude-sonnet-4-5").await;
    local.set_default(Script::fault(Fault::ResetBeforeHeaders));
    hosted.set_default(Script::reasoning_then_text("hosted thoughts", "hosted answer").usage(20, 3));
    let cfg = config(
        &[
            Provider::on("lmstudio", &local, A),
            Provider::on("anthropic", &hosted, "claude-sonnet-4-5").key("sk-ant-test"),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["anthropic/claude-sonnet-4-5"],
    );
    let router = router(cfg);
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "anthropic/claude-sonnet-4-5");
    let d = drain(stream, Duration::from_secs(60)).await;
    assert_eq!((d.thinking.as_str(), d.text.as_str()), ("hosted thoughts", "hosted answer"));
    let usage = d.events.iter().find_map(|e| match e {
        llm::StreamEvent::Usage { usage } => Some(*usage),
        _ => None,
    });
    assert_eq!(usage.map(|u| (u.input, u.output)), Some((20, 3)), "usage is the answering model's");
    let sent = inference(&hosted);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/v1/messages");
    assert_eq!(sent[0].header("x-api-key"), Some("sk-ant-test"));
}
