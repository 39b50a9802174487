//! Context windows a local server reports, used when the config sets none: a prompt that cannot fit
//! is skipped without a round trip; reports are cached for a TTL and refreshed off the request path;
//! a server that does not answer its discovery never holds a request longer than the discovery
//! wait; and the router's background discovery ends with the router. Virtual time.

mod common;
mod discovery_support;

use std::time::Duration;

use common::{ask, config, drain, inference, router, start, Provider};
use discovery_support::{FakeServer, Reply};
use router::{AttemptOutcome, RouteRequest, SkipReason};
use testkit::{Flavor, MockModel, MockUpstream, Script};
use tokio::time::Instant;

const LOCAL: &str = "Qwen/Qwen3-8B";
const HOSTED: &str = "gpt-4.1-mini";

/// About 6 000 tokens of prompt.
fn long_route() -> RouteRequest {
    RouteRequest { model: None, request: ask(&"word ".repeat(4_800)), strict: false, fallbacks: None }
}

fn short_route() -> RouteRequest {
    RouteRequest { model: None, request: ask("hi"), strict: false, fallbacks: None }
}

async fn vllm_with_window(window: u32) -> MockUpstream {
    let up = MockUpstream::builder(Flavor::Vllm)
        .models([MockModel::new(LOCAL).context_length(window)])
        .start()
        .await;
    up.set_default(Script::text("local"));
    up
}

async fn hosted() -> MockUpstream {
    let up = start(Flavor::OpenAi, HOSTED).await;
    up.set_default(Script::text("hosted"));
    up
}

/// vLLM (no window in the config) first, a hosted model with a configured window as fallback.
fn vllm_then_hosted(local: &MockUpstream, hosted: &MockUpstream) -> std::sync::Arc<config::Config> {
    config(
        &[
            Provider::on("vllm", local, LOCAL),
            Provider::on("openai", hosted, HOSTED).key("sk-test").window(128_000),
        ],
        "vllm/Qwen/Qwen3-8B",
        &["openai/gpt-4.1-mini"],
    )
}

fn discoveries(up: &MockUpstream) -> usize {
    up.requests_to("/v1/models").len()
}

#[tokio::test(start_paused = true)]
async fn a_prompt_larger_than_the_reported_window_is_skipped_without_sending() {
    let local = vllm_with_window(4096).await;
    let hosted = hosted().await;
    let router = router(vllm_then_hosted(&local, &hosted));

    let stream = router.stream(long_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "openai/gpt-4.1-mini");
    let attempts = stream.attempts();
    match &attempts[0].outcome {
        AttemptOutcome::Skipped(SkipReason::ContextTooSmall { needed, available }) => {
            assert!(*needed > 5_900, "the prompt is about 6k tokens, got {needed}");
            assert_eq!(*available, 4096 - 256, "max_model_len minus the request's max_tokens");
        }
        other => panic!("vLLM should be skipped for its 4096-token window, got {other:?}"),
    }
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "hosted");
    assert_eq!(inference(&local).len(), 0, "nothing was sent to the model that cannot fit");
    assert_eq!(discoveries(&local), 1);

    // A prompt that fits goes to vLLM, from the cached report.
    let stream = router.stream(short_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert_eq!(drain(stream, Duration::from_secs(5)).await.text, "local");
    assert_eq!((inference(&local).len(), discoveries(&local)), (1, 1));
    assert_eq!(inference(&hosted).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_configured_window_wins_and_the_server_is_not_asked() {
    let local = vllm_with_window(4096).await;
    let hosted = hosted().await;
    let cfg = config(
        &[
            Provider::on("vllm", &local, LOCAL).window(32_768),
            Provider::on("openai", &hosted, HOSTED).key("sk-test").window(128_000),
        ],
        "vllm/Qwen/Qwen3-8B",
        &["openai/gpt-4.1-mini"],
    );
    let stream = router(cfg).stream(long_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert_eq!(discoveries(&local), 0, "the config's window is used as written");
    assert_eq!(inference(&hosted).len(), 0);
}

#[tokio::test(start_paused = true)]
async fn lm_studio_reports_the_loaded_context_not_the_maximum() {
    let local = MockUpstream::builder(Flavor::LmStudio)
        .models([MockModel::new("qwen/qwen3-8b").context_length(32_768).loaded(4096)])
        .start()
        .await;
    let hosted = hosted().await;
    let cfg = config(
        &[
            Provider::on("lmstudio", &local, "qwen/qwen3-8b"),
            Provider::on("openai", &hosted, HOSTED).key("sk-test").window(128_000),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["openai/gpt-4.1-mini"],
    );
    let stream = router(cfg).stream(long_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "openai/gpt-4.1-mini");
    assert!(matches!(
        stream.attempts()[0].outcome,
        AttemptOutcome::Skipped(SkipReason::ContextTooSmall { available: 3840, .. })
    ));
    assert_eq!(inference(&local).len(), 0);
    assert_eq!(local.requests_to("/api/v1/models").len(), 1);
    assert_eq!(local.requests_to("/api/v1/models/load").len(), 0, "a loaded model is not preloaded");
}

#[tokio::test(start_paused = true)]
async fn one_discovery_per_ttl_and_a_stale_report_is_refreshed_off_the_request_path() {
    let local = vllm_with_window(4096).await;
    let hosted = hosted().await;
    let router = router(vllm_then_hosted(&local, &hosted));
    let t0 = Instant::now();
    for _ in 0..5 {
        let stream = router.stream(long_route()).await.unwrap();
        assert_eq!(stream.answered_by(), "openai/gpt-4.1-mini");
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    assert_eq!(discoveries(&local), 1, "five requests within the 30 s TTL share one discovery");

    // The server restarts with a larger window. Past the TTL, the next request still judges by the
    // stale report (it does not wait) while one background discovery replaces it.
    local.set_models([MockModel::new(LOCAL).context_length(16_384)]);
    tokio::time::sleep_until(t0 + Duration::from_secs(31)).await;
    let stream = router.stream(long_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "openai/gpt-4.1-mini", "judged by the stale 4096 window");
    local.wait_for_requests(2).await;
    tokio::task::yield_now().await;
    assert_eq!(discoveries(&local), 2);

    let stream = router.stream(long_route()).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B", "judged by the refreshed 16k window");
    assert_eq!(discoveries(&local), 2);
    assert_eq!(inference(&local).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_silent_discovery_holds_requests_no_longer_than_the_discovery_wait() {
    let server = FakeServer::start(|method, path| match (method, path) {
        ("GET", "/v1/models") => Reply::Never,
        _ => Reply::sse_text(LOCAL, "local"),
    })
    .await;
    let cfg = config(&[Provider::new("vllm", server.url("/v1"), LOCAL)], "vllm/Qwen/Qwen3-8B", &[]);
    let router = router(cfg);

    let t0 = Instant::now();
    let first = router.stream(short_route()).await.unwrap();
    assert_eq!(first.answered_by(), "vllm/Qwen/Qwen3-8B");
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(999) && waited < Duration::from_millis(1100),
        "the first request waits the 1 s discovery wait, not the 3 s discovery deadline: {waited:?}"
    );
    assert_eq!(drain(first, Duration::from_secs(5)).await.text, "local");

    // The discovery is still in flight; a later request does not wait for it again.
    let t1 = Instant::now();
    let second = router.stream(short_route()).await.unwrap();
    assert!(t1.elapsed() < Duration::from_millis(50), "waited {:?}", t1.elapsed());
    drop(second);
    assert_eq!(server.count("GET", "/v1/models"), 1, "one discovery for both requests");
    assert_eq!(server.count("POST", "/v1/chat/completions"), 2);
}

#[tokio::test(start_paused = true)]
async fn the_background_discovery_ends_with_the_router() {
    let server = FakeServer::start(|method, path| match (method, path) {
        ("GET", "/v1/models") => Reply::Never,
        _ => Reply::sse_text(LOCAL, "local"),
    })
    .await;
    let cfg = config(&[Provider::new("vllm", server.url("/v1"), LOCAL)], "vllm/Qwen/Qwen3-8B", &[]);
    let router = router(cfg);
    let stream = router.stream(short_route()).await.unwrap();
    drain(stream, Duration::from_secs(5)).await;
    // Let the chat connection close; the discovery connection stays open (the server never answers).
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    assert_eq!(server.open_connections(), 1, "the discovery is still waiting for its answer");

    drop(router);
    let closed = async {
        while server.open_connections() > 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    tokio::time::timeout(Duration::from_millis(100), closed)
        .await
        .expect("dropping the router aborts its discovery and closes its connection");
}
