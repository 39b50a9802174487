//! Auth end to end through `clawgate gateway` (the real binary): with `gateway.auth.mode: "token"`, a
//! request without the token or with a wrong one is refused with 401 in the client's own dialect
//! (OpenAI error object for Chat and Responses, Anthropic error for Messages) and never reaches the
//! upstream; the right token (Bearer, or `x-api-key` for Anthropic clients) is served; the token
//! never appears in the logs.

mod gateway_support;

use std::path::Path;

use gateway_support::{GatewayProcess, Reply};
use serde_json::{json, Value};
use testkit::{Flavor, MockUpstream, Script};

const TOKEN: &str = "gw-token-7f3a9c";

fn write_config(dir: &Path, upstream: &str, token_in_file: bool) -> std::path::PathBuf {
    let token = if token_in_file { format!(r#", token: "{TOKEN}""#) } else { String::new() };
    let text = format!(
        r#"{{
  gateway: {{ auth: {{ mode: "token"{token} }} }},
  models: {{ providers: {{
    box: {{ baseUrl: "{upstream}", api: "openai-completions", models: [{{ id: "qwen3-8b", name: "Qwen3 8B" }}] }},
  }} }},
  agents: {{ defaults: {{ model: {{ primary: "box/qwen3-8b" }} }} }},
}}"#
    );
    let path = dir.join("openclaw.json");
    std::fs::write(&path, text).unwrap();
    path
}

fn body(dialect: &str, stream: bool) -> Value {
    match dialect {
        "messages" => json!({"model": "box/qwen3-8b", "max_tokens": 50, "stream": stream,
            "messages": [{"role": "user", "content": "hi"}]}),
        "responses" => json!({"model": "box/qwen3-8b", "input": "hi", "stream": stream}),
        _ => {
            json!({"model": "box/qwen3-8b", "stream": stream, "messages": [{"role": "user", "content": "hi"}]})
        }
    }
}

fn path(dialect: &str) -> &'static str {
    match dialect {
        "messages" => "/v1/messages",
        "responses" => "/v1/responses",
        _ => "/v1/chat/completions",
    }
}

/// A 401 in the dialect's error shape.
fn assert_refused(dialect: &str, reply: &Reply, label: &str) {
    assert_eq!(reply.status, 401, "{label}: {}", reply.body);
    let error = reply.json();
    match dialect {
        "messages" => {
            assert_eq!(error["type"], "error", "{label}: {error}");
            assert_eq!(error["error"]["type"], "authentication_error", "{label}: {error}");
            assert!(error["error"]["message"].is_string(), "{label}: {error}");
        }
        _ => {
            assert!(error["error"]["message"].is_string(), "{label}: {error}");
            assert!(error["error"]["type"].is_string(), "{label}: {error}");
            assert!(error.get("type").is_none(), "{label}: an OpenAI error object, not Anthropic's: {error}");
        }
    }
    assert!(!reply.body.contains(TOKEN), "{label}: the token is echoed");
}

async fn token_is_required(gw: &GatewayProcess, upstream: &MockUpstream) {
    let wrong_bearer = format!("Bearer not-{TOKEN}");
    let right_bearer = format!("Bearer {TOKEN}");
    for dialect in ["chat", "responses", "messages"] {
        for stream in [false, true] {
            let label = format!("{dialect} stream={stream}");
            let none = gw.post(path(dialect), &[], &body(dialect, stream)).await;
            assert_refused(dialect, &none, &format!("{label}, no token"));
            let wrong = gw
                .post(path(dialect), &[("authorization", wrong_bearer.as_str())], &body(dialect, stream))
                .await;
            assert_refused(dialect, &wrong, &format!("{label}, wrong bearer"));
        }
    }
    let wrong_key = gw.post("/v1/messages", &[("x-api-key", "nope")], &body("messages", false)).await;
    assert_refused("messages", &wrong_key, "messages, wrong x-api-key");
    assert!(upstream.requests().is_empty(), "a refused request reached the upstream");

    let chat = gw
        .post("/v1/chat/completions", &[("authorization", right_bearer.as_str())], &body("chat", false))
        .await;
    assert_eq!(chat.status, 200, "{}", chat.body);
    assert_eq!(chat.json()["choices"][0]["message"]["content"], "Served with the right token.");
    let messages = gw.post("/v1/messages", &[("x-api-key", TOKEN)], &body("messages", false)).await;
    assert_eq!(messages.status, 200, "{}", messages.body);
    assert_eq!(messages.json()["content"][0]["text"], "Served with the right token.");
    assert_eq!(upstream.requests_to("/v1/chat/completions").len(), 2);

    let health = gw.request("GET", "/healthz", &[], None).await.unwrap();
    assert_eq!(health.status, 200, "health checks need no token");
    assert!(!gw.stderr().contains(TOKEN), "the token was logged:\n{}", gw.stderr());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_the_config_is_required_and_a_wrong_one_is_refused_in_each_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = MockUpstream::start(Flavor::LmStudio).await;
    upstream.set_default(Script::text("Served with the right token."));
    let config = write_config(dir.path(), &upstream.base_url(), true);
    let gw = GatewayProcess::start(&config, &dir.path().join("state"), &[]).await;
    token_is_required(&gw, &upstream).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_clawgate_gateway_token_is_required_too() {
    let dir = tempfile::tempdir().unwrap();
    let upstream = MockUpstream::start(Flavor::LmStudio).await;
    upstream.set_default(Script::text("Served with the right token."));
    let config = write_config(dir.path(), &upstream.base_url(), false);
    let gw =
        GatewayProcess::start(&config, &dir.path().join("state"), &[("CLAWGATE_GATEWAY_TOKEN", TOKEN)]).await;
    token_is_required(&gw, &upstream).await;
}
