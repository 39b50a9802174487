//! A cold local model (the server says it is loading) is waited for within the first-token budget,
//! polled with growing spacing; a stalled one is failed over at its deadline. Virtual time.

mod common;

use std::time::Duration;

use common::{config, default_route, drain, inference, router, start, Provider};
use serde_json::json;
use testkit::{Fault, Flavor, Script};
use tokio::time::Instant;

const A: &str = "qwen3-8b-q4_k_m.gguf";
const B: &str = "Qwen/Qwen3-8B";

/// llama.cpp's answer while it loads the model.
fn loading() -> Script {
    let body = json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}});
    Script::raw(503, "application/json", body.to_string())
}

fn offsets(up: &testkit::MockUpstream, t0: Instant) -> Vec<u64> {
    inference(up).iter().map(|r| (r.at - t0).as_secs()).collect()
}

#[tokio::test(start_paused = true)]
async fn a_model_that_finishes_loading_answers_itself() {
    let local = start(Flavor::LlamaCpp, A).await;
    let hosted = start(Flavor::Vllm, B).await;
    for _ in 0..3 {
        local.push(loading());
    }
    local.set_default(Script::text("warm now"));
    let cfg = config(
        &[Provider::on("llama-cpp", &local, A).timeout(60), Provider::on("vllm", &hosted, B)],
        "llama-cpp/qwen3-8b-q4_k_m.gguf",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let t0 = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "llama-cpp/qwen3-8b-q4_k_m.gguf");
    assert_eq!(drain(stream, Duration::from_secs(60)).await.text, "warm now");
    assert_eq!(offsets(&local, t0), [0, 1, 3, 7], "polled at 1 s, 2 s, 4 s spacing");
    assert_eq!(inference(&hosted).len(), 0, "a loading model is not a dead one");
}

#[tokio::test(start_paused = true)]
async fn a_model_that_keeps_loading_fails_over_at_its_first_token_budget() {
    let local = start(Flavor::LlamaCpp, A).await;
    let hosted = start(Flavor::Vllm, B).await;
    local.set_default(loading());
    hosted.set_default(Script::text("hosted"));
    let cfg = config(
        &[Provider::on("llama-cpp", &local, A).timeout(20), Provider::on("vllm", &hosted, B)],
        "llama-cpp/qwen3-8b-q4_k_m.gguf",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let t0 = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert_eq!(offsets(&local, t0), [0, 1, 3, 7, 12, 17], "polls stop before the 20 s budget");
    assert_eq!(stream.attempts().last().unwrap().model, "vllm/Qwen/Qwen3-8B");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_model_fails_over_at_its_first_token_deadline_without_polling() {
    let local = start(Flavor::LlamaCpp, A).await;
    let hosted = start(Flavor::Vllm, B).await;
    local.set_default(Script::text("late").with_fault(Fault::FirstTokenAfter(Duration::from_secs(3600))));
    hosted.set_default(Script::text("hosted"));
    let cfg = config(
        &[Provider::on("llama-cpp", &local, A).timeout(20), Provider::on("vllm", &hosted, B)],
        "llama-cpp/qwen3-8b-q4_k_m.gguf",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let t0 = Instant::now();
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    let waited = t0.elapsed();
    assert!(waited >= Duration::from_secs(20) && waited < Duration::from_secs(21), "{waited:?}");
    assert_eq!(inference(&local).len(), 1, "a stall is not retried");
}
