//! Rejections in the client's dialect with the right status: §7.2 range and shape checks, body and
//! image limits, and backend failures mapped from their failover reason (with `Retry-After` and the
//! attempts header). Nothing invalid reaches the backend.

mod common;

use std::time::Duration;

use common::*;
use gateway::{BackendError, GatewaySettings, RequestLimits};
use llm::FailoverReason;
use serde_json::{json, Value};

fn user() -> Value {
    json!([{"role": "user", "content": "hi"}])
}

fn invalid_cases() -> Vec<(&'static str, &'static str, Value)> {
    let image = json!({"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}});
    vec![
        (
            "chat: temperature out of range",
            "/v1/chat/completions",
            json!({"model": "m", "messages": user(), "temperature": 2.5}),
        ),
        (
            "chat: five stop sequences",
            "/v1/chat/completions",
            json!({"model": "m", "messages": user(), "stop": ["a","b","c","d","e"]}),
        ),
        ("chat: missing messages", "/v1/chat/completions", json!({"model": "m"})),
        ("chat: n above 1", "/v1/chat/completions", json!({"model": "m", "messages": user(), "n": 2})),
        (
            "chat: unknown reasoning effort",
            "/v1/chat/completions",
            json!({"model": "m", "messages": user(), "reasoning_effort": "extreme"}),
        ),
        (
            "chat: tool_choice names an undeclared tool",
            "/v1/chat/completions",
            json!({"model": "m", "messages": user(), "tool_choice": {"type": "function", "function": {"name": "ghost"}}}),
        ),
        (
            "chat: image URL while URLs are off",
            "/v1/chat/completions",
            json!({"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}),
        ),
        (
            "chat: nine images",
            "/v1/chat/completions",
            json!({"model": "m", "messages": [{"role": "user", "content": vec![image; 9]}]}),
        ),
        ("chat: empty model", "/v1/chat/completions", json!({"model": " ", "messages": user()})),
        ("responses: missing input", "/v1/responses", json!({"model": "m"})),
        (
            "responses: previous_response_id",
            "/v1/responses",
            json!({"model": "m", "input": "hi", "previous_response_id": "resp_1"}),
        ),
        (
            "responses: built-in tool",
            "/v1/responses",
            json!({"model": "m", "input": "hi", "tools": [{"type": "web_search"}]}),
        ),
        (
            "responses: top_p out of range",
            "/v1/responses",
            json!({"model": "m", "input": "hi", "top_p": 1.5}),
        ),
        ("messages: missing max_tokens", "/v1/messages", json!({"model": "m", "messages": user()})),
        (
            "messages: temperature above 1",
            "/v1/messages",
            json!({"model": "m", "max_tokens": 10, "messages": user(), "temperature": 1.5}),
        ),
        (
            "messages: thinking budget too small",
            "/v1/messages",
            json!({"model": "m", "max_tokens": 4000, "messages": user(), "thinking": {"type": "enabled", "budget_tokens": 100}}),
        ),
        ("messages: not JSON", "/v1/messages", json!("{oops")),
    ]
}

#[tokio::test]
async fn invalid_requests_are_rejected_in_the_clients_dialect() {
    let backend = FakeBackend::new([]);
    let gw = start(settings(), backend.clone()).await;
    let mut report = String::new();
    for (name, path, body) in invalid_cases() {
        let request = client().post(gw.url(path));
        let request = match body.as_str() {
            Some(raw) => request.header("content-type", "application/json").body(raw.to_string()),
            None => request.json(&body),
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 400, "{name}");
        report.push_str(&format!("## {name}\n{}\n\n", response.text().await.unwrap()));
    }
    assert!(backend.requests().is_empty(), "an invalid request reached the backend");
    insta::assert_snapshot!(report);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let limits = RequestLimits { max_body_bytes: [1024; 3], ..RequestLimits::default() };
    let gw = start(GatewaySettings { limits, ..settings() }, FakeBackend::new([])).await;
    let big =
        json!({"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x".repeat(4096)}]});
    for path in ["/v1/chat/completions", "/v1/messages"] {
        let response = client().post(gw.url(path)).json(&big).send().await.unwrap();
        insta::assert_snapshot!(
            format!("too_large_{}", path.trim_start_matches("/v1/").replace('/', "_")),
            transcript(response).await
        );
    }
    // Chunked, with no Content-Length: the limit holds while reading.
    let chunks = futures::stream::iter((0..8).map(|_| Ok::<_, std::io::Error>(vec![b' '; 512])));
    let response = client()
        .post(gw.url("/v1/chat/completions"))
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

fn refused(reason: FailoverReason, message: &str, retry_after: Option<Duration>) -> Script {
    let mut error = BackendError::new(reason, message);
    error.attempts = vec![
        gateway::AttemptSummary::failed("lmstudio/qwen3-30b-a3b", reason, Duration::from_millis(3)),
        gateway::AttemptSummary::failed("anthropic/claude-sonnet-4-5", reason, Duration::from_millis(40)),
    ];
    error.retry_after = retry_after;
    Script::Refuse(error)
}

#[tokio::test]
async fn backend_failures_map_to_status_and_dialect() {
    let backend = FakeBackend::new([
        refused(
            FailoverReason::RateLimit,
            "every candidate is rate limited; next one frees up in 7 s",
            Some(Duration::from_secs(7)),
        ),
        refused(
            FailoverReason::ContextOverflow,
            "the prompt (40000 tokens) is over lmstudio/qwen3-30b-a3b's 32768",
            None,
        ),
        refused(FailoverReason::Overloaded, "anthropic answered 529 overloaded", None),
        refused(FailoverReason::ModelNotFound, "model \"ghost\" is not configured", None),
    ]);
    let gw = start(settings(), backend).await;
    let chat = json!({"model": "m", "messages": user()});
    let messages = json!({"model": "m", "max_tokens": 10, "messages": user()});
    let mut report = String::new();
    for (path, body) in [
        ("/v1/chat/completions", &chat),
        ("/v1/chat/completions", &chat),
        ("/v1/messages", &messages),
        ("/v1/responses", &json!({"model": "ghost", "input": "hi"})),
    ] {
        let response = client().post(gw.url(path)).json(body).send().await.unwrap();
        report.push_str(&format!("## {path}\n{}\n\n", transcript(response).await));
    }
    insta::assert_snapshot!(report);
}

#[tokio::test]
async fn unknown_paths_are_404_in_the_paths_dialect() {
    let gw = start(settings(), FakeBackend::new([])).await;
    let openai = client().post(gw.url("/v1/embeddings")).send().await.unwrap();
    assert_eq!(openai.status(), 404);
    let body: Value = openai.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let anthropic = client().post(gw.url("/v1/messages/batches")).send().await.unwrap();
    assert_eq!(anthropic.status(), 404);
    let body: Value = anthropic.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "not_found_error");
}

#[tokio::test]
async fn a_disabled_endpoint_says_how_to_turn_it_on() {
    let settings = GatewaySettings { endpoints_enabled: [true, false, true], ..settings() };
    let gw = start(settings, FakeBackend::new([])).await;
    let response = client()
        .post(gw.url("/v1/responses"))
        .json(&json!({"model": "m", "input": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("gateway.http.endpoints.responses.enabled"));
}
