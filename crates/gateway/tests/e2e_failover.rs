//! Failover through the gateway: the primary upstream answers 503 or refuses the connection, the
//! fallback answers. The client sees one clean answer from the fallback — in every ingress dialect,
//! streamed and whole — and `x-clawgate-attempts` lists the primary's failure, then the fallback.

mod common;

use common::client;
use common::e2e::sse::{read, without_upstream_randomness};
use common::e2e::{
    attempts_without_timing, closed_port_url, e2e_transcript, hello_request, ConfigDoc, Provider, Stack,
    INGRESS,
};
use testkit::{Fault, Flavor, MockUpstream, Script};

const FALLBACK_TEXT: &str = "Fallback here, all good.";

/// How the primary fails.
#[derive(Debug, Clone, Copy)]
enum PrimaryFailure {
    Unavailable,
    Refused,
}

/// A gateway whose primary (`lms/qwen3-8b`, openai-completions) fails and whose fallback
/// (`ant/claude-sonnet-4-5`, anthropic-messages) answers. The mocks live as long as the world.
struct World {
    stack: Stack,
    primary: Option<MockUpstream>,
    fallback: MockUpstream,
}

async fn world(failure: PrimaryFailure) -> World {
    let fallback = MockUpstream::start(Flavor::Anthropic).await;
    fallback.set_default(Script::reasoning_then_text("Primary is down, I answer.", FALLBACK_TEXT));
    let (primary, primary_provider) = match failure {
        PrimaryFailure::Unavailable => {
            let mock = MockUpstream::start(Flavor::LmStudio).await;
            mock.set_default(Script::fault(Fault::Unavailable));
            let provider = Provider::on("lms", "openai-completions", "qwen3-8b", &mock);
            (Some(mock), provider)
        }
        PrimaryFailure::Refused => {
            let url = closed_port_url("/v1").await;
            (None, Provider::unreachable("lms", "openai-completions", "qwen3-8b", url))
        }
    };
    let fallback_provider = Provider::on("ant", "anthropic-messages", "claude-sonnet-4-5", &fallback);
    let doc = ConfigDoc::new(vec![primary_provider, fallback_provider], "lms/qwen3-8b")
        .fallbacks(&["ant/claude-sonnet-4-5"]);
    World { stack: Stack::start(doc.load()).await, primary, fallback }
}

/// One request through a fresh gateway; returns the attempts header (timings removed) and the body.
async fn fail_over(failure: PrimaryFailure, dialect: &str, path: &str, stream: bool) -> (String, String) {
    let world = world(failure).await;
    let label = format!("{failure:?} {dialect} stream={stream}");
    let response = client()
        .post(world.stack.url(path))
        .json(&hello_request(dialect, "lms/qwen3-8b", stream))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{label}");
    assert_eq!(response.headers()["x-clawgate-model"], "ant/claude-sonnet-4-5", "{label}");
    let attempts = attempts_without_timing(response.headers()["x-clawgate-attempts"].to_str().unwrap());
    let transcript = e2e_transcript(response).await;
    let body = transcript.split_once("\n\n").unwrap().1.to_owned();

    let reading = read(dialect, &body, stream);
    assert!(reading.completed, "{label}: {body}");
    assert_eq!(reading.error, None, "{label}");
    assert_eq!(reading.text(), FALLBACK_TEXT, "{label}: only the fallback's answer, once");
    assert_eq!(reading.model.as_deref(), Some("ant/claude-sonnet-4-5"), "{label}");
    assert!(!body.contains("503") && !body.contains("refused"), "{label}: the failure is invisible\n{body}");

    if let Some(primary) = &world.primary {
        assert!(!primary.requests_to("/v1/chat/completions").is_empty(), "{label}: the primary was tried");
    }
    assert_eq!(world.fallback.requests_to("/v1/messages").len(), 1, "{label}: one fallback call");
    (attempts, without_upstream_randomness(transcript, &reading))
}

/// The attempts header: every attempt before the last is the primary failing, the last the fallback.
fn assert_attempts(attempts: &str, primary_reason: &str) {
    let entries: Vec<&str> = attempts.split(',').collect();
    let (last, before) = entries.split_last().unwrap();
    assert_eq!(*last, "ant/claude-sonnet-4-5:ok:<ms>", "{attempts}");
    assert!(!before.is_empty(), "the primary's failure is listed first: {attempts}");
    for entry in before {
        assert_eq!(*entry, format!("lms/qwen3-8b:{primary_reason}:<ms>"), "{attempts}");
    }
}

#[tokio::test]
async fn a_503_primary_fails_over_in_every_dialect_streamed_and_whole() {
    for (dialect, path) in INGRESS {
        for stream in [true, false] {
            let (attempts, _) = fail_over(PrimaryFailure::Unavailable, dialect, path, stream).await;
            // OpenClaw's mapping: a 503 whose message does not say "overloaded" is a timeout.
            assert_attempts(&attempts, "timeout");
        }
    }
}

#[tokio::test]
async fn a_refused_primary_fails_over_in_every_dialect_streamed_and_whole() {
    for (dialect, path) in INGRESS {
        for stream in [true, false] {
            let (attempts, _) = fail_over(PrimaryFailure::Refused, dialect, path, stream).await;
            // An unreachable server is a transport failure, classified as a timeout.
            assert_attempts(&attempts, "timeout");
        }
    }
}

#[tokio::test]
async fn the_client_of_a_failover_sees_one_clean_stream() {
    let (_, transcript) = fail_over(PrimaryFailure::Unavailable, "chat", "/v1/chat/completions", true).await;
    insta::assert_snapshot!("failover_503_chat_streamed", transcript);
    let (_, transcript) = fail_over(PrimaryFailure::Refused, "messages", "/v1/messages", true).await;
    insta::assert_snapshot!("failover_refused_messages_streamed", transcript);
}

#[tokio::test]
async fn metrics_show_the_cooling_primary_after_a_failover() {
    let world = world(PrimaryFailure::Unavailable).await;
    let response = client()
        .post(world.stack.url("/v1/chat/completions"))
        .json(&hello_request("chat", "lms/qwen3-8b", false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let metrics = client().get(world.stack.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let line = metrics
        .lines()
        .find(|l| l.starts_with("clawgate_cooldown_remaining_seconds{model=\"lms/qwen3-8b\""))
        .unwrap_or_else(|| panic!("no cooldown series for the primary in:\n{metrics}"));
    let seconds: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(seconds > 0.0 && seconds <= 30.0, "first rung of the ladder is 30 s: {line}");
    assert!(!metrics.contains("model=\"ant/claude-sonnet-4-5\""), "the fallback answered and is not cooling");
    // The answering model's price reached the cost counter.
    let cost: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("clawgate_cost_usd_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no cost counter in:\n{metrics}"));
    assert!(cost > 0.0, "the fallback's usage was priced: {cost}");
    drop(world.primary);
}
