//! A mid-stream upstream cut after output started: the client gets its dialect's error event and no
//! completion marker (`[DONE]`, `message_stop`, `response.completed`), the text it already got is
//! not repeated, and the fallback is not called (the answer was committed).

mod common;

use common::client;
use common::e2e::sse::{read, without_upstream_randomness};
use common::e2e::{
    e2e_transcript, hello_request, upstream_path, ConfigDoc, Provider, Stack, INGRESS, UPSTREAMS,
};
use testkit::{Fault, Flavor, MockUpstream, Script};

/// Reasoning (two tokens) and three words reach the client, then the upstream connection drops.
/// (The reasoning field also tells the transport that the text has no inline reasoning, so the text
/// is not held back to look for a `</think>`.)
fn cut_script() -> Script {
    Script::reasoning_then_text("thinking first", "one two three four five six")
        .with_fault(Fault::CutAfter { tokens: 5 })
}

/// One request of `dialect` to an upstream speaking `api` that cuts mid-stream; a healthy fallback is
/// configured. Returns the client's transcript.
async fn cut(dialect: &str, path: &str, api: &'static str, flavor: Flavor) -> String {
    let label = format!("{dialect} ← {api}");
    let primary = MockUpstream::start(flavor).await;
    primary.set_default(cut_script());
    let fallback = MockUpstream::start(Flavor::Anthropic).await;
    let doc = ConfigDoc::new(
        vec![
            Provider::on("up", api, "m1", &primary),
            Provider::on("fb", "anthropic-messages", "claude-sonnet-4-5", &fallback),
        ],
        "up/m1",
    )
    .fallbacks(&["fb/claude-sonnet-4-5"]);
    let stack = Stack::start(doc.load()).await;
    let response =
        client().post(stack.url(path)).json(&hello_request(dialect, "up/m1", true)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{label}: the stream had started");
    let transcript = e2e_transcript(response).await;
    let body = transcript.split_once("\n\n").unwrap().1;

    let reading = read(dialect, body, true);
    assert!(!reading.completed, "{label}: a completion marker after a cut\n{body}");
    for marker in ["[DONE]", "message_stop", "response.completed", "response.incomplete"] {
        assert!(!body.contains(marker), "{label}: {marker} after a cut\n{body}");
    }
    let error = reading.error.clone().unwrap_or_else(|| panic!("{label}: no error event\n{body}"));
    assert_error_shape(dialect, &error, &label);
    assert_eq!(reading.text(), "one two three", "{label}: what came before the cut, once");
    let last = body.trim_end().rsplit("\n\n").next().unwrap();
    assert!(last.contains("error"), "{label}: the error event is the last thing sent\n{body}");

    assert_eq!(primary.requests_to(upstream_path(api)).len(), 1, "{label}");
    assert!(fallback.requests_to("/v1/messages").is_empty(), "{label}: no failover after output started");
    without_upstream_randomness(transcript, &reading)
}

/// The error event in the client's own error shape.
fn assert_error_shape(dialect: &str, error: &serde_json::Value, label: &str) {
    match dialect {
        "chat" => {
            assert!(error["error"]["message"].is_string(), "{label}: {error}");
            assert!(error["error"]["type"].is_string(), "{label}: {error}");
        }
        "responses" => {
            assert!(
                error["type"] == "error" || error["type"] == "response.failed",
                "{label}: Responses error event: {error}"
            );
        }
        "messages" => {
            assert_eq!(error["type"], "error", "{label}: {error}");
            assert!(error["error"]["type"].is_string(), "{label}: {error}");
            assert!(error["error"]["message"].is_string(), "{label}: {error}");
        }
        other => panic!("unknown dialect {other}"),
    }
}

#[tokio::test]
async fn a_cut_after_output_started_ends_every_dialect_with_an_error_event_and_no_marker() {
    for (dialect, path) in INGRESS {
        for (api, flavor) in UPSTREAMS {
            cut(dialect, path, api, flavor).await;
        }
    }
}

#[tokio::test]
async fn chat_client_bytes_after_a_cut() {
    let transcript = cut("chat", "/v1/chat/completions", "openai-completions", Flavor::LmStudio).await;
    insta::assert_snapshot!("cut_chat", transcript);
}

#[tokio::test]
async fn responses_client_bytes_after_a_cut() {
    let transcript = cut("responses", "/v1/responses", "openai-responses", Flavor::OpenAi).await;
    insta::assert_snapshot!("cut_responses", transcript);
}

#[tokio::test]
async fn messages_client_bytes_after_a_cut() {
    let transcript = cut("messages", "/v1/messages", "anthropic-messages", Flavor::Anthropic).await;
    insta::assert_snapshot!("cut_messages", transcript);
}
