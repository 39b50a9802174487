//! Cooldowns over many requests: a primary that is down for 60 s and then healthy; a dead local box
//! failing over in real time; cooldowns surviving a restart and a config reload.

mod common;

use std::time::Duration;

use common::{config, default_route, drain, inference, router, router_with, Provider};
use router::{RouterOptions, StateStore};
use testkit::{Fault, Flavor, Script};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn primary_down_for_60s_then_healthy() {
    let primary = common::start(Flavor::LmStudio, "qwen/qwen3-8b").await;
    let fallback = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    // Down: every request gets LM Studio's 503 "Service Unavailable" (a `timeout`-class failure).
    primary.set_default(Script::fault(Fault::Unavailable));
    fallback.set_default(Script::text("from the fallback"));
    let cfg = config(
        &[
            Provider::on("lmstudio", &primary, "qwen/qwen3-8b"),
            Provider::on("vllm", &fallback, "Qwen/Qwen3-8B"),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    let router = router(cfg);
    let start = Instant::now();
    let mut answered = Vec::new();
    // 20 requests, one every 3 s: t = 0 … 57 s, the primary is down for all of them.
    for i in 0..20u64 {
        tokio::time::sleep_until(start + Duration::from_secs(3 * i)).await;
        let stream = router.stream(default_route("hi")).await.expect("answered");
        answered.push(stream.answered_by().to_owned());
        assert!(drain(stream, Duration::from_secs(60)).await.error.is_none());
    }
    assert!(answered.iter().all(|a| a == "vllm/Qwen/Qwen3-8B"), "{answered:?}");
    let seen: Vec<u64> = inference(&primary).iter().map(|r| (r.at - start).as_secs()).collect();
    // A 30 s window after the first failure, a 60 s one after the second; probes are spaced by the
    // 30 s probe interval, so at most one lands in any window.
    assert_eq!(seen, [0, 30], "the primary was tried at window ends only, never per request");
    assert_eq!(inference(&fallback).len(), 20);

    // The primary recovers at t = 60 s; the next requests come every 3 s.
    primary.set_default(Script::text("from the primary"));
    tokio::time::sleep_until(start + Duration::from_secs(60)).await;
    let recovered = start + Duration::from_secs(60);
    let mut back_at = None;
    for i in 0..20u64 {
        tokio::time::sleep_until(recovered + Duration::from_secs(3 * i)).await;
        let stream = router.stream(default_route("hi")).await.expect("answered");
        if stream.answered_by() == "lmstudio/qwen/qwen3-8b" {
            back_at = Some(Instant::now() - recovered);
            break;
        }
    }
    let back_at = back_at.expect("back on the primary");
    assert!(back_at <= Duration::from_secs(30), "back within one probe interval, took {back_at:?}");
    let probes: Vec<u64> = inference(&primary).iter().map(|r| (r.at - start).as_secs()).collect();
    assert_eq!(probes, [0, 30, 60], "one probe in the 60 s window, which found the primary healthy");
    assert!(router.cooldowns().is_empty(), "success cleared the cooldown");
}

/// Real time: nothing listens on the primary's port. Prints the measured figure.
#[tokio::test]
async fn connection_refused_on_a_local_primary_fails_over_fast() {
    let fallback = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    fallback.set_default(Script::text("hosted answer"));
    // Bind and drop to get a port nothing listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let cfg = config(
        &[
            Provider::new("lmstudio", format!("http://{dead}/v1"), "qwen/qwen3-8b")
                .api(fallback.flavor().api()),
            Provider::on("vllm", &fallback, "Qwen/Qwen3-8B"),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    // One shared HTTP client, as in a running gateway; its pool to the fallback is warm.
    let client = providers::Client::default();
    let fresh = || {
        let clock = std::sync::Arc::new(router::SystemClock);
        router::Router::with_parts(
            cfg.clone(),
            client.clone(),
            StateStore::in_memory(),
            clock,
            RouterOptions::default(),
        )
    };
    drop(fresh().stream(default_route("warm")).await.unwrap());
    let mut figures = Vec::new();
    for _ in 0..5 {
        // Each time with no cooldown state, so the dead port is really tried.
        let router = fresh();
        let started = std::time::Instant::now();
        let stream = router.stream(default_route("hi")).await.expect("failed over");
        let first_event = started.elapsed();
        assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
        let attempts = stream.attempts();
        assert_eq!(attempts[0].failure(), Some(llm::FailoverReason::Timeout), "{attempts:?}");
        figures.push((first_event, attempts[0].elapsed));
    }
    for (total, refused) in &figures {
        println!(
            "connection refused → fallback first output: {:.2} ms (refused attempt {:.2} ms)",
            total.as_secs_f64() * 1e3,
            refused.as_secs_f64() * 1e3
        );
    }
    assert!(figures.iter().all(|(t, _)| *t < Duration::from_secs(2)), "{figures:?}");
}

#[tokio::test(start_paused = true)]
async fn cooldowns_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let primary = common::start(Flavor::LmStudio, "qwen/qwen3-8b").await;
    let fallback = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    primary.set_default(Script::fault(Fault::ServerError));
    let cfg = config(
        &[
            Provider::on("lmstudio", &primary, "qwen/qwen3-8b"),
            Provider::on("vllm", &fallback, "Qwen/Qwen3-8B"),
        ],
        "lmstudio/qwen/qwen3-8b",
        &["vllm/Qwen/Qwen3-8B"],
    );
    {
        let first = router_with(cfg.clone(), StateStore::open(&db).unwrap(), RouterOptions::default());
        let stream = first.stream(default_route("hi")).await.unwrap();
        assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
        assert_eq!(first.cooldowns().len(), 1);
    }
    // A new process: same state.db, same wall clock.
    let second = router_with(cfg, StateStore::open(&db).unwrap(), RouterOptions::default());
    let views = second.cooldowns();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0].provider, "lmstudio");
    tokio::time::advance(Duration::from_secs(5)).await;
    let stream = second.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert_eq!(inference(&primary).len(), 1, "the restarted router did not try the cooling primary");
    assert!(matches!(stream.attempts()[0].outcome, router::AttemptOutcome::Skipped(_)));
}

#[tokio::test(start_paused = true)]
async fn a_config_reload_keeps_cooldowns_of_unchanged_models_only() {
    let a = common::start(Flavor::LmStudio, "qwen/qwen3-8b").await;
    let b = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    let c = common::start(Flavor::LlamaCpp, "qwen3-8b-q4_k_m.gguf").await;
    a.set_default(Script::fault(Fault::ResetBeforeHeaders));
    b.set_default(Script::fault(Fault::ResetBeforeHeaders));
    let providers = |b_url: String| {
        [
            Provider::on("lmstudio", &a, "qwen/qwen3-8b"),
            Provider::new("vllm", b_url, "Qwen/Qwen3-8B").api(b.flavor().api()),
            Provider::on("llama-cpp", &c, "qwen3-8b-q4_k_m.gguf"),
        ]
    };
    let chain = ["vllm/Qwen/Qwen3-8B", "llama-cpp/qwen3-8b-q4_k_m.gguf"];
    let router = router(config(&providers(b.base_url()), "lmstudio/qwen/qwen3-8b", &chain));
    assert_eq!(
        router.stream(default_route("hi")).await.unwrap().answered_by(),
        "llama-cpp/qwen3-8b-q4_k_m.gguf"
    );
    let cooling: Vec<String> = router.cooldowns().into_iter().map(|v| v.provider).collect();
    assert_eq!(cooling.len(), 2, "{cooling:?}");
    // Reload: lmstudio unchanged, vllm moved to another server.
    let moved = common::start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    let reloaded = router.with_config(config(&providers(moved.base_url()), "lmstudio/qwen/qwen3-8b", &chain));
    let cooling: Vec<String> = reloaded.cooldowns().into_iter().map(|v| v.provider).collect();
    assert_eq!(cooling, ["lmstudio"], "the moved provider's cooldown is gone, the unchanged one kept");
    let stream = reloaded.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B", "the moved server is tried at once");
    assert_eq!(inference(&a).len(), 1, "the unchanged, cooling primary was skipped");
    // The old router shares the state.
    assert_eq!(router.cooldowns().len(), 1);
}
