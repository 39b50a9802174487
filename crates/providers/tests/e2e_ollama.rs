//! End to end against the testkit's Ollama mock: `Client::stream` / `Client::complete` over a real
//! socket, decoding what the mock streams (text, reasoning, tool calls, missing usage) and turning
//! each of its faults into an error with the right `FailoverReason` — never a successful end.

use std::time::Duration;

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, FailoverReason, Message, ModelRequest, StopReason, StreamEvent, ToolSpec, Usage};
use providers::classify::TransportFailure;
use providers::{Client, ProviderError, ProviderErrorKind, Target};
use serde_json::{json, Value};
use testkit::{Fault, Flavor, MockUpstream, Script};

fn target(up: &MockUpstream, reasoning: bool) -> Target {
    let mut model = ResolvedModel::new("ollama", "qwen3:8b", Api::Ollama, up.base_url());
    model.context_window = Some(40_960);
    model.reasoning = reasoning;
    Target::new(model)
}

fn request() -> ModelRequest {
    let tool =
        |name: &str| ToolSpec { name: name.into(), description: None, parameters: json!({"type": "object"}) };
    ModelRequest {
        model: "qwen3:8b".into(),
        messages: vec![Message::user("What is the weather in Paris?")],
        tools: vec![tool("get_weather"), tool("get_time")],
        ..ModelRequest::default()
    }
}

/// Everything a streamed call produced: the events before the end, and the error it ended with.
struct Outcome {
    events: Vec<StreamEvent>,
    error: Option<ProviderError>,
}

impl Outcome {
    fn text(&self) -> String {
        self.events
            .iter()
            .filter_map(|e| if let StreamEvent::TextDelta { text } = e { Some(text.as_str()) } else { None })
            .collect()
    }

    fn thinking(&self) -> String {
        self.events
            .iter()
            .filter_map(
                |e| if let StreamEvent::ThinkingDelta { text } = e { Some(text.as_str()) } else { None },
            )
            .collect()
    }

    fn usage(&self) -> Usage {
        self.events
            .iter()
            .find_map(|e| if let StreamEvent::Usage { usage } = e { Some(*usage) } else { None })
            .expect("a Usage event")
    }

    fn stop(&self) -> Option<StopReason> {
        self.events
            .iter()
            .find_map(|e| if let StreamEvent::Stop { reason } = e { Some(*reason) } else { None })
    }

    /// The error of a failed call, checking it did not also look finished.
    fn failure(self) -> (Vec<StreamEvent>, ProviderError) {
        let error = self.error.unwrap_or_else(|| panic!("expected a failure, got {:?}", self.events));
        assert_eq!(
            self.events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count(),
            0,
            "a failed call must not end with Stop: {:?}",
            self.events
        );
        (self.events, error)
    }

    /// The events of a successful call, checking it ended with exactly one Usage and one Stop.
    fn success(self) -> Self {
        if let Some(error) = &self.error {
            panic!("expected success, got {error}");
        }
        let usages = self.events.iter().filter(|e| matches!(e, StreamEvent::Usage { .. })).count();
        assert_eq!(usages, 1, "{:?}", self.events);
        assert!(matches!(self.events.last(), Some(StreamEvent::Stop { .. })), "{:?}", self.events);
        self
    }
}

async fn stream(up: &MockUpstream, target: &Target, script: Script) -> Outcome {
    up.push(script);
    let mut stream = match Client::default().stream(target, &request()).await {
        Ok(stream) => stream,
        Err(error) => return Outcome { events: Vec::new(), error: Some(error) },
    };
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                assert!(stream.next().await.is_none(), "nothing follows an error");
                return Outcome { events, error: Some(error) };
            }
        }
    }
    Outcome { events, error: None }
}

/// A faulty call on a model that does not reason (a reasoning model's shaper holds the first text
/// back while it decides whether the answer opens inside reasoning, so partial text would not show).
async fn fault(script: Script) -> (Vec<StreamEvent>, ProviderError) {
    let up = MockUpstream::start(Flavor::Ollama).await;
    stream(&up, &target(&up, false), script).await.failure()
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn text_streams_with_the_servers_usage() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let out = stream(&up, &target(&up, false), Script::text("Sunny and mild in Paris.").usage(31, 6))
        .await
        .success();
    assert_eq!(out.text(), "Sunny and mild in Paris.");
    assert_eq!(out.usage(), Usage { input: 31, output: 6, ..Usage::default() });
    assert_eq!(out.stop(), Some(StopReason::EndTurn));
}

#[tokio::test]
async fn reasoning_from_the_thinking_field_is_never_text() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let script = Script::reasoning_then_text("The user wants Paris weather.", "It is 18°C.");
    let out = stream(&up, &target(&up, true), script).await.success();
    assert_eq!(out.thinking(), "The user wants Paris weather.");
    assert_eq!(out.text(), "It is 18°C.");
}

#[tokio::test]
async fn inline_think_tags_are_split_off_the_text() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let script = Script::text_deltas(["<thi", "nk>Check the ", "forecast.</th", "ink>Rain later", "."]);
    let out = stream(&up, &target(&up, true), script).await.success();
    assert_eq!(out.thinking(), "Check the forecast.");
    assert_eq!(out.text(), "Rain later.");
}

#[tokio::test]
async fn parallel_tool_calls_arrive_whole_with_the_servers_ids() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let script = Script::reasoning_then_tool_call("Two lookups.", "get_weather", json!({"city": "Paris"}))
        .then_tool_call("get_time", json!({"timezone": "Europe/Paris"}));
    let out = stream(&up, &target(&up, true), script).await.success();
    let starts: Vec<(usize, String, String)> = out
        .events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::ToolCallStart { index, id, name } => Some((*index, id.clone(), name.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 2);
    assert_eq!((starts[0].0, starts[0].2.as_str()), (0, "get_weather"));
    assert_eq!((starts[1].0, starts[1].2.as_str()), (1, "get_time"));
    assert!(starts.iter().all(|(_, id, _)| !id.is_empty()));
    assert_ne!(starts[0].1, starts[1].1);
    let arguments: Vec<Value> = out
        .events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::ToolCallDelta { arguments, .. } => Some(serde_json::from_str(arguments).unwrap()),
            _ => None,
        })
        .collect();
    assert_eq!(arguments, [json!({"city": "Paris"}), json!({"timezone": "Europe/Paris"})]);
    assert_eq!(out.stop(), Some(StopReason::ToolUse));
}

#[tokio::test]
async fn missing_usage_is_estimated() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let out = stream(&up, &target(&up, false), Script::text("A fairly short answer.").without_usage())
        .await
        .success();
    let usage = out.usage();
    assert!(usage.estimated);
    assert!(usage.input > 0 && usage.output > 0, "{usage:?}");
}

#[tokio::test]
async fn the_length_limit_is_max_tokens() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let script = Script::text("Once upon a").stop_reason(testkit::StopReason::Length);
    let out = stream(&up, &target(&up, false), script).await.success();
    assert_eq!(out.stop(), Some(StopReason::MaxTokens));
}

#[tokio::test]
async fn a_completed_call_assembles_reasoning_text_and_tool_calls() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    up.push(
        Script::reasoning_then_text("Paris it is.", "Checking.")
            .then_tool_call("get_weather", json!({"city": "Paris"}))
            .usage(40, 12),
    );
    let completion = Client::default().complete(&target(&up, true), &request()).await.expect("completes");
    let content = &completion.response.message.content;
    assert!(content
        .iter()
        .any(|b| matches!(b, ContentBlock::Thinking { thinking, .. } if thinking == "Paris it is.")));
    assert_eq!(completion.response.message.text(), "Checking.");
    assert!(content.iter().any(
        |b| matches!(b, ContentBlock::ToolCall { name, arguments, .. } if name == "get_weather" && arguments["city"] == "Paris")
    ));
    assert_eq!(completion.usage, Usage { input: 40, output: 12, ..Usage::default() });
    assert_eq!(completion.response.stop, Some(StopReason::ToolUse));
}

// ── faults ──────────────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn rate_limit_with_retry_after() {
    let (events, error) = fault(Script::fault(Fault::RateLimited { retry_after: Some(7) })).await;
    assert!(events.is_empty());
    assert_eq!(error.reason, FailoverReason::RateLimit);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn rate_limit_without_retry_after() {
    let (_, error) = fault(Script::fault(Fault::RateLimited { retry_after: None })).await;
    assert_eq!(error.reason, FailoverReason::RateLimit);
    assert_eq!(error.retry_after, None);
}

#[tokio::test]
async fn a_crashed_runner_is_a_server_error() {
    let (_, error) = fault(Script::fault(Fault::ServerError)).await;
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.reason, FailoverReason::ServerError);
    assert!(error.to_string().contains("llama runner process has terminated"), "{error}");
}

#[tokio::test]
async fn a_busy_server_is_overloaded() {
    let (_, error) = fault(Script::fault(Fault::Unavailable)).await;
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.reason, FailoverReason::Overloaded);
}

#[tokio::test]
async fn a_rejected_key_is_auth() {
    let (_, error) = fault(Script::fault(Fault::InvalidApiKey)).await;
    assert_eq!(error.reason, FailoverReason::Auth);
}

#[tokio::test]
async fn a_reset_before_headers_is_a_timeout() {
    let (_, error) = fault(Script::fault(Fault::ResetBeforeHeaders)).await;
    assert_eq!(error.reason, FailoverReason::Timeout);
    assert!(error.transport_failure().is_some(), "{error}");
}

#[tokio::test]
async fn a_cut_stream_fails_after_its_partial_events() {
    let (events, error) =
        fault(Script::text("one two three four five").with_fault(Fault::CutAfter { tokens: 2 })).await;
    let text: String = events
        .iter()
        .filter_map(|e| if let StreamEvent::TextDelta { text } = e { Some(text.as_str()) } else { None })
        .collect();
    assert!(!text.is_empty() && text.len() < "one two three four five".len(), "partial text: {text:?}");
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn a_malformed_line_is_a_malformed_chunk() {
    let (_, error) =
        fault(Script::text("one two three").with_fault(Fault::MalformedChunk { after: 1 })).await;
    assert_eq!(error.transport_failure(), Some(TransportFailure::MalformedChunk));
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn a_stream_without_its_done_line_never_succeeds() {
    let (events, error) = fault(Script::text("one two three").with_fault(Fault::NoTerminal)).await;
    assert!(!events.is_empty());
    assert_eq!(error.transport_failure(), Some(TransportFailure::StreamEndedWithoutTerminal));
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn an_error_line_mid_stream_is_an_upstream_error() {
    let (events, error) =
        fault(Script::text("one two three").with_fault(Fault::ErrorEventAfter { tokens: 2 })).await;
    assert!(!events.is_empty());
    assert!(matches!(error.kind, ProviderErrorKind::Stream { .. }), "{error}");
    assert!(error.to_string().contains("unexpected EOF"), "{error}");
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn context_length_exceeded_is_context_overflow() {
    let (_, error) = fault(Script::fault(Fault::ContextLengthExceeded)).await;
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.reason, FailoverReason::ContextOverflow);
}

#[tokio::test]
async fn a_content_filter_refusal_is_content_filter() {
    let (_, error) = fault(Script::fault(Fault::ContentFilter)).await;
    assert_eq!(error.reason, FailoverReason::ContentFilter);
}

#[tokio::test]
async fn a_model_that_was_never_pulled_is_not_found() {
    let (_, error) = fault(Script::fault(Fault::ModelNotLoaded)).await;
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.reason, FailoverReason::ModelNotFound);
    assert!(error.to_string().contains("try pulling it first"), "{error}");
}

#[tokio::test]
async fn a_model_too_big_for_memory_is_a_server_error() {
    let body = r#"{"error":"model requires more system memory (10.4 GiB) than is available (7.2 GiB)"}"#;
    let (_, error) = fault(Script::raw(500, "application/json; charset=utf-8", body)).await;
    assert_eq!(error.reason, FailoverReason::ServerError);
}

#[tokio::test]
async fn an_error_line_as_the_whole_stream_is_an_upstream_error() {
    let body = "{\"error\":\"llama runner process no longer running: -1 \"}\n";
    let (events, error) = fault(Script::raw(200, "application/x-ndjson", body)).await;
    assert!(events.is_empty());
    assert_eq!(error.reason, FailoverReason::ServerError);
}

#[tokio::test]
async fn a_completed_call_that_is_cut_fails() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    up.push(Script::text("one two three").with_fault(Fault::CutAfter { tokens: 1 }));
    let error = Client::default().complete(&target(&up, false), &request()).await.expect_err("cut");
    assert_eq!(error.reason, FailoverReason::Timeout);
}
