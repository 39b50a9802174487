//! The server's life: settings from `gateway.*` and the environment, the refusal to listen beyond
//! loopback without auth, graceful shutdown (streams in flight finish; past the grace they end with an
//! error event), and the operations endpoints.

mod common;

use std::time::Duration;

use common::*;
use config::types::GatewayConfig;
use config::Env;
use gateway::{AuthSettings, GatewayError, GatewayServer, GatewaySettings, ListenOverrides};
use llm::{StopReason, StreamEvent};
use serde_json::json;

fn gateway_config(value: serde_json::Value) -> GatewayConfig {
    serde_json::from_value(value).unwrap()
}

fn resolve(value: serde_json::Value, env: &[(&str, &str)]) -> Result<GatewaySettings, GatewayError> {
    let env = Env::from_pairs(env.iter().copied());
    GatewaySettings::from_config(&gateway_config(value), &env, &ListenOverrides::default())
}

#[tokio::test]
async fn non_loopback_without_auth_is_refused() {
    let settings = resolve(json!({"bind": "lan", "port": 0}), &[]).unwrap();
    assert_eq!(settings.listen.ip().to_string(), "0.0.0.0");
    let error = GatewayServer::bind(settings, FakeBackend::new([])).await.err().expect("must refuse");
    assert!(matches!(error, GatewayError::NonLoopbackWithoutAuth { .. }));
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn defaults_are_loopback_18789_without_auth() {
    let settings = resolve(json!({}), &[]).unwrap();
    assert_eq!(settings.listen.to_string(), "127.0.0.1:18789");
    assert_eq!(settings.auth, AuthSettings::None);
}

#[test]
fn port_precedence_is_flag_then_env_then_config() {
    let env = Env::from_pairs([("OPENCLAW_GATEWAY_PORT", "19000")]);
    let config = gateway_config(json!({"port": 18000}));
    let from_env = GatewaySettings::from_config(&config, &env, &ListenOverrides::default()).unwrap();
    assert_eq!(from_env.listen.port(), 19000);
    let flag = ListenOverrides { port: Some(20000), bind: None };
    assert_eq!(GatewaySettings::from_config(&config, &env, &flag).unwrap().listen.port(), 20000);
    let plain = GatewaySettings::from_config(&config, &Env::default(), &ListenOverrides::default()).unwrap();
    assert_eq!(plain.listen.port(), 18000);
}

#[test]
fn token_comes_from_config_then_clawgate_then_openclaw_env() {
    let from_config =
        resolve(json!({"auth": {"token": "cfg"}}), &[("CLAWGATE_GATEWAY_TOKEN", "env")]).unwrap();
    assert_eq!(from_config.auth.secret().unwrap().expose(), "cfg");
    let clawgate =
        resolve(json!({}), &[("CLAWGATE_GATEWAY_TOKEN", "a"), ("OPENCLAW_GATEWAY_TOKEN", "b")]).unwrap();
    assert_eq!(clawgate.auth, AuthSettings::Token(config::Secret::new("a")));
    let openclaw = resolve(json!({}), &[("OPENCLAW_GATEWAY_TOKEN", "b")]).unwrap();
    assert_eq!(openclaw.auth, AuthSettings::Token(config::Secret::new("b")));
    let substituted =
        resolve(json!({"auth": {"token": {"source": "env", "id": "MY_TOKEN"}}}), &[("MY_TOKEN", "t")]);
    assert_eq!(substituted.unwrap().auth.secret().unwrap().expose(), "t");
}

#[test]
fn auth_problems_say_what_to_set() {
    let cases = [
        json!({"auth": {"mode": "token"}}),
        json!({"auth": {"token": "a", "password": "b"}}),
        json!({"auth": {"mode": "trusted-proxy"}}),
        json!({"auth": {"token": "${GW_TOKEN}"}}),
        json!({"bind": "custom"}),
        json!({"bind": "tailnet"}),
    ];
    let report: Vec<String> = cases.into_iter().map(|c| resolve(c, &[]).unwrap_err().to_string()).collect();
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn endpoint_toggles_and_body_limits_come_from_http_endpoints() {
    let settings = resolve(
        json!({"http": {"endpoints": {"responses": {"enabled": false}, "messages": {"maxBodyBytes": 1000}}}}),
        &[],
    )
    .unwrap();
    assert_eq!(settings.endpoints_enabled, [true, false, true]);
    assert_eq!(settings.limits.max_body_bytes[2], 1000);
}

fn slow_answer(wait: Duration) -> Script {
    answer(vec![
        Step::Event(StreamEvent::TextDelta { text: "started".into() }),
        Step::Wait(wait),
        Step::Event(StreamEvent::TextDelta { text: " and finished".into() }),
        Step::Event(StreamEvent::Stop { reason: StopReason::EndTurn }),
    ])
}

async fn open_stream(gw: &Running) -> reqwest::Response {
    let body = json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    client().post(gw.url("/v1/chat/completions")).json(&body).send().await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn shutdown_lets_open_streams_finish() {
    let mut gw = start(settings(), FakeBackend::new([slow_answer(Duration::from_secs(3))])).await;
    let response = open_stream(&gw).await;
    gw.shutdown();
    let text = response.text().await.unwrap();
    assert!(text.contains(" and finished") && text.ends_with("data: [DONE]\n\n"), "{text}");
    let served = tokio::time::timeout(Duration::from_secs(30), &mut gw.task).await.expect("serve returned");
    assert!(served.unwrap().is_ok());
    assert!(client().get(gw.url("/healthz")).send().await.is_err(), "no new connections after shutdown");
}

#[tokio::test(start_paused = true)]
async fn streams_past_the_grace_end_with_an_error_event() {
    let settings = GatewaySettings { shutdown_grace: Duration::from_secs(2), ..settings() };
    let mut gw = start(settings, FakeBackend::new([slow_answer(Duration::from_secs(600))])).await;
    let response = open_stream(&gw).await;
    gw.shutdown();
    let text = response.text().await.unwrap();
    assert!(text.contains("shutting down"), "{text}");
    assert!(!text.contains("[DONE]"), "{text}");
    let served = tokio::time::timeout(Duration::from_secs(30), &mut gw.task).await.expect("serve returned");
    assert!(served.unwrap().is_ok());
}

#[tokio::test]
async fn metrics_count_requests_attempts_tokens_and_overhead() {
    let gw = start(settings(), FakeBackend::new([answer(rich_answer())])).await;
    let body = json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let streamed = client().post(gw.url("/v1/chat/completions")).json(&body).send().await.unwrap();
    streamed.text().await.unwrap();
    let bad = client().post(gw.url("/v1/messages")).json(&json!({"model": "m"})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    // The streamed request is recorded when its body is dropped, just after the last byte.
    let mut text = String::new();
    for _ in 0..50 {
        text = client().get(gw.url("/metrics")).send().await.unwrap().text().await.unwrap();
        if text.contains("status=\"200\"") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for line in [
        "clawgate_requests_total{dialect=\"chat\",status=\"200\"} 1",
        "clawgate_requests_total{dialect=\"messages\",status=\"400\"} 1",
        "clawgate_attempts_total{outcome=\"timeout\"} 1",
        "clawgate_attempts_total{outcome=\"ok\"} 1",
        "clawgate_failovers_total 1",
        "clawgate_tokens_total{kind=\"input\"} 12",
        "clawgate_tokens_total{kind=\"reasoning\"} 8",
        "clawgate_time_to_first_token_seconds_count 1",
        "clawgate_upstream_latency_seconds_count 1",
        "clawgate_gateway_overhead_seconds_count 2",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}
