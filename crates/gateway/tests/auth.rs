//! Auth: required on `/v1/*` and `/metrics`, accepted as Bearer or `x-api-key`, wrong credentials
//! answered in the path's dialect, and an address that keeps failing locked out with 429 and
//! `Retry-After` (loopback exempt by default; the lockout test turns the exemption off).

mod common;

use std::time::Duration;

use common::*;
use gateway::{GatewaySettings, RateLimitSettings};
use serde_json::{json, Value};

const TOKEN: &str = "gw-test-token-0123456789";

fn chat() -> Value {
    json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]})
}

#[tokio::test]
async fn missing_credential_is_401_in_each_dialect() {
    let gw = start(token_settings(TOKEN), FakeBackend::new([])).await;
    let openai = client().post(gw.url("/v1/chat/completions")).json(&chat()).send().await.unwrap();
    insta::assert_snapshot!("missing_openai", transcript(openai).await);
    let anthropic = client().post(gw.url("/v1/messages")).json(&chat()).send().await.unwrap();
    insta::assert_snapshot!("missing_anthropic", transcript(anthropic).await);
    let metrics = client().get(gw.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 401);
}

#[tokio::test]
async fn wrong_credential_is_rejected_and_never_echoed() {
    let gw = start(token_settings(TOKEN), FakeBackend::new([])).await;
    let response = client()
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth("wrong-token")
        .json(&chat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let text = response.text().await.unwrap();
    assert!(!text.contains("wrong-token") && !text.contains(TOKEN), "{text}");
    assert!(text.contains("is wrong"), "{text}");
}

#[tokio::test]
async fn bearer_and_x_api_key_both_work() {
    let backend = FakeBackend::new([text_answer("one"), text_answer("two")]);
    let gw = start(token_settings(TOKEN), backend.clone()).await;
    let bearer =
        client().post(gw.url("/v1/chat/completions")).bearer_auth(TOKEN).json(&chat()).send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let body = json!({"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]});
    let api_key =
        client().post(gw.url("/v1/messages")).header("x-api-key", TOKEN).json(&body).send().await.unwrap();
    assert_eq!(api_key.status(), 200);
    assert_eq!(backend.requests().len(), 2);
}

#[tokio::test]
async fn health_probes_need_no_credential() {
    let gw = start(token_settings(TOKEN), FakeBackend::new([])).await;
    for path in ["/healthz", "/readyz"] {
        let response = client().get(gw.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test(start_paused = true)]
async fn repeated_failures_lock_the_address_out() {
    let settings = GatewaySettings {
        rate_limit: RateLimitSettings { exempt_loopback: false, ..RateLimitSettings::default() },
        ..token_settings(TOKEN)
    };
    let gw = start(settings, FakeBackend::new([text_answer("after lockout")])).await;
    let url = gw.url("/v1/chat/completions");
    for attempt in 1..10 {
        let r = client().post(&url).bearer_auth("guess").json(&chat()).send().await.unwrap();
        assert_eq!(r.status(), 401, "attempt {attempt}");
    }
    let tenth = client().post(&url).bearer_auth("guess").json(&chat()).send().await.unwrap();
    insta::assert_snapshot!("lockout", transcript(tenth).await);
    // Locked: even the right token waits.
    let right = client().post(&url).bearer_auth(TOKEN).json(&chat()).send().await.unwrap();
    assert_eq!(right.status(), 429);
    assert!(right.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() <= 300);
    tokio::time::advance(Duration::from_secs(301)).await;
    let later = client().post(&url).bearer_auth(TOKEN).json(&chat()).send().await.unwrap();
    assert_eq!(later.status(), 200);
}

#[tokio::test]
async fn loopback_is_not_locked_out_by_default() {
    let gw = start(token_settings(TOKEN), FakeBackend::new([text_answer("ok")])).await;
    let url = gw.url("/v1/chat/completions");
    for _ in 0..15 {
        let r = client().post(&url).bearer_auth("guess").json(&chat()).send().await.unwrap();
        assert_eq!(r.status(), 401);
    }
    let right = client().post(&url).bearer_auth(TOKEN).json(&chat()).send().await.unwrap();
    assert_eq!(right.status(), 200);
}
