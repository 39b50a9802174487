//! Stream behaviour: a failure after output started gives an error event in the client's dialect and no
//! completion marker; a stream that just stops is not a success; keep-alive comments on silence (in
//! virtual time); events reach the client before the backend is done; a client that disconnects makes
//! the gateway drop the backend stream.

mod common;

use std::time::Duration;

use common::*;
use futures::StreamExt;
use gateway::BackendError;
use llm::{FailoverReason, StreamEvent};
use serde_json::json;

fn body(path: &str) -> serde_json::Value {
    match path {
        "/v1/messages" => json!({"model": "m", "max_tokens": 50, "stream": true,
                                 "messages": [{"role": "user", "content": "hi"}]}),
        "/v1/responses" => json!({"model": "m", "stream": true, "input": "hi"}),
        _ => json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]}),
    }
}

const PATHS: [&str; 3] = ["/v1/chat/completions", "/v1/responses", "/v1/messages"];

fn cut_after_text() -> Script {
    answer(vec![
        Step::Event(StreamEvent::TextDelta { text: "Half an ans".into() }),
        Step::Fail(BackendError::new(
            FailoverReason::Timeout,
            "lmstudio at http://127.0.0.1:1234/v1 sent nothing for 30 s after the first token",
        )),
    ])
}

#[tokio::test]
async fn mid_stream_failure_is_an_error_event_without_completion() {
    for (path, name) in PATHS.iter().zip(["chat", "responses", "messages"]) {
        let backend = FakeBackend::new([cut_after_text()]);
        let gw = start(settings(), backend).await;
        let response = client().post(gw.url(path)).json(&body(path)).send().await.unwrap();
        let text = transcript(response).await;
        for marker in ["[DONE]", "message_stop", "response.completed", "\"finish_reason\":\"stop\""] {
            assert!(!text.contains(marker), "{path}: completion marker {marker} after a failure\n{text}");
        }
        insta::assert_snapshot!(format!("mid_stream_failure_{name}"), text);
    }
}

#[tokio::test]
async fn a_stream_that_ends_without_stop_is_not_a_success() {
    for path in PATHS {
        let backend =
            FakeBackend::new([answer(vec![Step::Event(StreamEvent::TextDelta { text: "cut".into() })])]);
        let gw = start(settings(), backend).await;
        let text = client().post(gw.url(path)).json(&body(path)).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("ended before the answer was complete"), "{path}\n{text}");
        assert!(
            !text.contains("[DONE]")
                && !text.contains("message_stop")
                && !text.contains("response.completed")
        );
    }
}

#[tokio::test]
async fn whole_answer_failure_is_an_http_error_with_the_attempts() {
    let mut failure = BackendError::new(FailoverReason::Timeout, "upstream went quiet");
    failure.attempts = two_attempts();
    let backend = FakeBackend::new([answer(vec![
        Step::Event(StreamEvent::TextDelta { text: "partial".into() }),
        Step::Fail(failure),
    ])]);
    let gw = start(settings(), backend).await;
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]});
    let response = client().post(gw.url("/v1/chat/completions")).json(&body).send().await.unwrap();
    insta::assert_snapshot!(transcript(response).await);
}

#[tokio::test(start_paused = true)]
async fn keep_alive_comments_fill_long_silences() {
    let backend = FakeBackend::new([answer(vec![
        Step::Wait(Duration::from_secs(40)),
        Step::Event(StreamEvent::TextDelta { text: "late".into() }),
        Step::Event(StreamEvent::Stop { reason: llm::StopReason::EndTurn }),
    ])]);
    let gw = start(settings(), backend).await;
    let path = "/v1/messages";
    let text = client().post(gw.url(path)).json(&body(path)).send().await.unwrap().text().await.unwrap();
    // 40 s of silence with a 15 s interval: comments at 15 s and 30 s, then the answer.
    assert_eq!(text.matches(": keep-alive\n\n").count(), 2, "{text}");
    let first_comment = text.find(": keep-alive").unwrap();
    assert!(first_comment > text.find("message_start").unwrap(), "{text}");
    assert!(first_comment < text.find("late").unwrap(), "{text}");
    assert!(text.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn events_reach_the_client_while_the_backend_is_still_working() {
    let backend = FakeBackend::new([answer(vec![
        Step::Event(StreamEvent::TextDelta { text: "first".into() }),
        Step::Hang,
    ])]);
    let gw = start(settings(), backend.clone()).await;
    let path = "/v1/chat/completions";
    let response = client().post(gw.url(path)).json(&body(path)).send().await.unwrap();
    let mut chunks = response.bytes_stream();
    let mut seen = String::new();
    while !seen.contains("first") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), chunks.next())
            .await
            .expect("the first event was held back")
            .unwrap()
            .unwrap();
        seen.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    assert_eq!(backend.dropped(), 0, "the backend stream is still open");
}

#[tokio::test]
async fn client_disconnect_drops_the_backend_stream() {
    for path in PATHS {
        let backend = FakeBackend::new([answer(vec![
            Step::Event(StreamEvent::TextDelta { text: "first".into() }),
            Step::Hang,
        ])]);
        let gw = start(settings(), backend.clone()).await;
        let response = client().post(gw.url(path)).json(&body(path)).send().await.unwrap();
        let mut chunks = response.bytes_stream();
        let mut seen = String::new();
        while !seen.contains("first") {
            seen.push_str(std::str::from_utf8(&chunks.next().await.unwrap().unwrap()).unwrap());
        }
        assert_eq!(backend.dropped(), 0);
        let dropped = backend.probe.notify.notified();
        drop(chunks);
        tokio::time::timeout(Duration::from_secs(5), dropped)
            .await
            .unwrap_or_else(|_| panic!("{path}: the backend stream outlived the client"));
        assert_eq!(backend.dropped(), 1);
    }
}

#[tokio::test]
async fn parallel_tool_calls_stay_whole_in_anthropic_blocks() {
    let steps = vec![
        Step::Event(StreamEvent::ToolCallStart { index: 0, id: "a".into(), name: "x".into() }),
        Step::Event(StreamEvent::ToolCallStart { index: 1, id: "b".into(), name: "y".into() }),
        Step::Event(StreamEvent::ToolCallDelta { index: 1, arguments: "{\"q\":".into() }),
        Step::Event(StreamEvent::ToolCallDelta { index: 0, arguments: "{}".into() }),
        Step::Event(StreamEvent::ToolCallDelta { index: 1, arguments: "2}".into() }),
        Step::Event(StreamEvent::Stop { reason: llm::StopReason::ToolUse }),
    ];
    let gw = start(settings(), FakeBackend::new([answer(steps)])).await;
    let path = "/v1/messages";
    let text = client().post(gw.url(path)).json(&body(path)).send().await.unwrap().text().await.unwrap();
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn client_disconnect_drops_the_backend_stream_of_a_whole_answer_too() {
    let backend = FakeBackend::new([answer(vec![
        Step::Event(StreamEvent::TextDelta { text: "first".into() }),
        Step::Hang,
    ])]);
    let gw = start(settings(), backend.clone()).await;
    let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]});
    let dropped = backend.probe.notify.notified();
    let request = client().post(gw.url("/v1/chat/completions")).json(&body).send();
    // The client gives up while the gateway is still collecting the answer.
    assert!(tokio::time::timeout(Duration::from_millis(300), request).await.is_err());
    tokio::time::timeout(Duration::from_secs(5), dropped)
        .await
        .expect("the backend stream outlived the client");
    assert_eq!(backend.dropped(), 1);
}
