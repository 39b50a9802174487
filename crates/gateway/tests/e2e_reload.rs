//! A hot reload while 50 streams are open drops none of them: every stream finishes on the snapshot it
//! started with (completion marker, full text), and a request after the swap sees the new config.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::client;
use common::e2e::sse::read;
use common::e2e::{hello_request, ConfigDoc, Provider, Stack, INGRESS};
use futures::StreamExt;
use testkit::{Flavor, MockUpstream, Script};
use tokio::sync::Barrier;

const STREAMS: usize = 50;

fn long_text() -> String {
    (1..=30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ")
}

/// One client stream: waits for its first body bytes, reports in at the barrier, then reads to the end.
async fn one_stream(
    url: String,
    dialect: &'static str,
    opened: Arc<Barrier>,
    done: Arc<AtomicUsize>,
) -> String {
    let response =
        client().post(url).json(&hello_request(dialect, "lms/qwen3-8b", true)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-clawgate-model"], "lms/qwen3-8b");
    let mut body = response.bytes_stream();
    let mut bytes = body.next().await.expect("a first chunk").unwrap().to_vec();
    opened.wait().await;
    while let Some(chunk) = body.next().await {
        bytes.extend_from_slice(&chunk.expect("the stream is not cut"));
    }
    done.fetch_add(1, Ordering::SeqCst);
    String::from_utf8(bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_during_50_open_streams_drops_none_and_new_requests_see_the_new_config() {
    let local = MockUpstream::start(Flavor::LmStudio).await;
    // ~33 paced writes, 100 ms apart: each stream stays open for over 3 s, far longer than opening 50.
    local.set_default(
        Script::reasoning_then_text("plan", long_text()).delay_between_chunks(Duration::from_millis(100)),
    );
    let hosted = MockUpstream::start(Flavor::Anthropic).await;
    hosted.set_default(Script::text("From the new alias."));
    let providers = vec![
        Provider::on("lms", "openai-completions", "qwen3-8b", &local),
        Provider::on("ant", "anthropic-messages", "claude-sonnet-4-5", &hosted),
    ];
    let before = ConfigDoc::new(providers, "lms/qwen3-8b");
    let after = before.clone().alias("ant/claude-sonnet-4-5", "fresh");
    let stack = Stack::start(before.load()).await;

    let unknown = client()
        .post(stack.url("/v1/chat/completions"))
        .json(&hello_request("chat", "fresh", false))
        .send()
        .await
        .unwrap();
    assert_ne!(unknown.status(), 200, "the alias does not exist before the reload");

    let opened = Arc::new(Barrier::new(STREAMS + 1));
    let done = Arc::new(AtomicUsize::new(0));
    let streams: Vec<_> = (0..STREAMS)
        .map(|i| {
            let (dialect, path) = INGRESS[i % INGRESS.len()];
            let task = one_stream(stack.url(path), dialect, opened.clone(), done.clone());
            (dialect, tokio::spawn(task))
        })
        .collect();
    tokio::time::timeout(Duration::from_secs(20), opened.wait()).await.expect("all 50 streams opened");

    stack.backend.swap(stack.backend.current().with_config(after.load()));
    assert_eq!(done.load(Ordering::SeqCst), 0, "every stream was still open at the swap");

    let fresh = client()
        .post(stack.url("/v1/messages"))
        .json(&hello_request("messages", "fresh", false))
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200, "the new alias works at once");
    assert_eq!(fresh.headers()["x-clawgate-model"], "ant/claude-sonnet-4-5");
    let fresh = read("messages", &fresh.text().await.unwrap(), false);
    assert_eq!(fresh.text(), "From the new alias.");
    assert_eq!(done.load(Ordering::SeqCst), 0, "the new request did not wait for the old streams");

    for (dialect, task) in streams {
        let body = tokio::time::timeout(Duration::from_secs(30), task).await.expect("stream ends").unwrap();
        let reading = read(dialect, &body, true);
        assert!(reading.completed, "{dialect}: completion marker\n{body}");
        assert_eq!(reading.error, None, "{dialect}");
        assert_eq!(reading.text(), long_text(), "{dialect}: the full text");
        assert_eq!(reading.model.as_deref(), Some("lms/qwen3-8b"), "{dialect}");
    }
    assert_eq!(local.requests_to("/v1/chat/completions").len(), STREAMS);
    assert_eq!(hosted.requests_to("/v1/messages").len(), 1);
}
