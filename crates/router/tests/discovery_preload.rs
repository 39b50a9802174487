//! LM Studio preload (`params.preload`, default on): a model the server reports as not loaded is
//! loaded once before it is called — one load shared by concurrent requests — and the wait counts
//! as "loading": within the first-token deadline, after which the request fails over while the load
//! goes on for the next one. Virtual time.

mod common;
mod discovery_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{config, default_route, drain, inference, router, start, Provider};
use discovery_support::{lmstudio_model, FakeServer, Reply};
use llm::FailoverReason;
use router::AttemptOutcome;
use serde_json::json;
use testkit::{Flavor, MockModel, MockUpstream, Script};
use tokio::time::Instant;

const MODEL: &str = "qwen/qwen3-8b";
const HOSTED: &str = "gpt-4.1-mini";

async fn hosted() -> MockUpstream {
    let up = start(Flavor::OpenAi, HOSTED).await;
    up.set_default(Script::text("hosted"));
    up
}

async fn cold_lmstudio() -> MockUpstream {
    let up = MockUpstream::builder(Flavor::LmStudio)
        .models([MockModel::new(MODEL).context_length(32_768).not_loaded()])
        .start()
        .await;
    up.set_default(Script::text("local"));
    up
}

/// Paths of what an upstream received, in order.
fn paths(up: &MockUpstream) -> Vec<String> {
    up.requests().into_iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test(start_paused = true)]
async fn a_cold_model_is_loaded_once_for_concurrent_requests_before_it_is_called() {
    let local = cold_lmstudio().await;
    let hosted = hosted().await;
    let cfg = config(
        &[
            Provider::on("lmstudio", &local, MODEL),
            Provider::on("openai", &hosted, HOSTED).key("sk-test").window(128_000),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["openai/gpt-4.1-mini"],
    );
    let router = router(cfg);
    let (a, b, c) = tokio::join!(
        router.stream(default_route("one")),
        router.stream(default_route("two")),
        router.stream(default_route("three"))
    );
    for stream in [a.unwrap(), b.unwrap(), c.unwrap()] {
        assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b");
        assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "local");
    }
    let seen = paths(&local);
    let loads: Vec<usize> =
        seen.iter().enumerate().filter(|(_, p)| *p == "POST /api/v1/models/load").map(|(i, _)| i).collect();
    assert_eq!(loads.len(), 1, "one load for three requests: {seen:?}");
    let first_chat = seen.iter().position(|p| p.ends_with("/chat/completions")).unwrap();
    assert!(loads[0] < first_chat, "the model is loaded before it is called: {seen:?}");
    assert_eq!(inference(&local).len(), 4, "one load and three chats");
    assert_eq!(inference(&hosted).len(), 0);
    let load = local.requests_to("/api/v1/models/load").remove(0);
    assert_eq!(load.body, json!({"model": MODEL}), "no context_length when the config sets no window");

    // Loaded now: the next request goes straight to the model.
    let stream = router.stream(default_route("four")).await.unwrap();
    drain(stream, Duration::from_secs(5)).await;
    assert_eq!(local.requests_to("/api/v1/models/load").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn preload_false_leaves_loading_to_lm_studio() {
    let local = cold_lmstudio().await;
    let cfg = discovery_support::load(json!({
        "agents": {"defaults": {"model": {"primary": "lmstudio/qwen/qwen3-8b"}}},
        "models": {"providers": {"lmstudio": {
            "baseUrl": local.base_url(), "api": "openai-completions",
            "params": {"preload": false},
            "models": [{"id": MODEL, "name": MODEL, "contextWindow": 32768}]
        }}}
    }));
    let stream = router(cfg).stream(default_route("hi")).await.unwrap();
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "local");
    assert_eq!(local.requests_to("/api/v1/models/load").len(), 0);
    assert_eq!(
        local.requests_to("/api/v1/models").len(),
        0,
        "nothing to discover: preload is off, window set"
    );
    assert_eq!(inference(&local).len(), 1);
}

/// An LM Studio whose model load takes `load`; `/api/v1/models` reports it loaded once that passed.
async fn slow_loading_lmstudio(load: Duration) -> FakeServer {
    let loaded_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    FakeServer::start(move |method, path| match (method, path) {
        ("GET", "/api/v1/models") => {
            let loaded = loaded_at.lock().unwrap().is_some_and(|t| Instant::now() >= t);
            let instance = loaded.then_some(16_384);
            Reply::json(json!({"models": [lmstudio_model(MODEL, 32_768, instance)]}))
        }
        ("POST", "/api/v1/models/load") => {
            *loaded_at.lock().unwrap() = Some(Instant::now() + load);
            let body = json!({"type": "llm", "instance_id": MODEL, "status": "loaded",
                "config": {"context_length": 16_384}, "load_time_seconds": load.as_secs_f64()});
            Reply::json_after(load, body)
        }
        _ => Reply::sse_text(MODEL, "local"),
    })
    .await
}

fn lmstudio_then_hosted(server: &FakeServer, hosted: &MockUpstream) -> Arc<config::Config> {
    config(
        &[
            Provider::new("lmstudio", server.url("/v1"), MODEL).timeout(20),
            Provider::on("openai", hosted, HOSTED).key("sk-test").window(128_000),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["openai/gpt-4.1-mini"],
    )
}

#[tokio::test(start_paused = true)]
async fn a_load_within_the_first_token_deadline_is_waited_for() {
    let server = slow_loading_lmstudio(Duration::from_secs(15)).await;
    let hosted = hosted().await;
    let router = router(lmstudio_then_hosted(&server, &hosted));
    let t0 = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b", "a loading model is not a dead one");
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "local");
    let chat = server.seen().into_iter().find(|s| s.path == "/v1/chat/completions").unwrap();
    assert_eq!((chat.at - t0).as_secs(), 15, "called once the 15 s load finished");
    assert_eq!(server.count("POST", "/api/v1/models/load"), 1);
    assert_eq!(inference(&hosted).len(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_load_past_the_first_token_deadline_fails_over_and_finishes_for_the_next_request() {
    let server = slow_loading_lmstudio(Duration::from_secs(45)).await;
    let hosted = hosted().await;
    let router = router(lmstudio_then_hosted(&server, &hosted));
    let t0 = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "openai/gpt-4.1-mini");
    assert_eq!(t0.elapsed().as_secs(), 20, "failed over at the 20 s first-token deadline");
    let attempt = &stream.attempts()[0];
    assert_eq!(attempt.outcome, AttemptOutcome::Failed(FailoverReason::ModelLoading));
    let detail = attempt.detail.as_deref().unwrap();
    assert!(
        detail.contains("still loading `qwen/qwen3-8b`") && detail.contains("timeoutSeconds"),
        "{detail}"
    );
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "hosted");
    assert_eq!(server.count("POST", "/v1/chat/completions"), 0);

    // The load went on in the background; once it finished (45 s) and the 30 s `model_loading`
    // cooldown ended (50 s), the model answers without a second load.
    tokio::time::sleep_until(t0 + Duration::from_secs(51)).await;
    let stream = router.stream(default_route("again")).await.unwrap();
    assert_eq!(stream.answered_by(), "lmstudio/qwen/qwen3-8b");
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "local");
    assert_eq!(server.count("POST", "/api/v1/models/load"), 1);
    assert_eq!(inference(&hosted).len(), 1);
}
