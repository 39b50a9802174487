//! End to end against the testkit's Anthropic mock: answers decoded through `Client::stream` and
//! `Client::complete` (text, reasoning, inline tags from a proxy, tool calls, missing usage), and
//! every fault the mock injects classified to the `FailoverReason` the router acts on — never a
//! successful end.

use std::time::Duration;

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, FailoverReason, Message, ModelRequest, StopReason, StreamEvent, ToolSpec};
use providers::{Client, ProviderError, Target};
use serde_json::json;
use testkit::{Fault, Flavor, MockUpstream, Script, StopReason as ScriptStop};

fn target(up: &MockUpstream) -> Target {
    Target::new(ResolvedModel::new("anthropic", "claude-sonnet-4-5", Api::AnthropicMessages, up.base_url()))
        .with_key("sk-ant-test")
}

fn reasoning_target(up: &MockUpstream) -> Target {
    let mut target = target(up);
    target.model.reasoning = true;
    target
}

fn request() -> ModelRequest {
    let tool =
        |name: &str| ToolSpec { name: name.into(), description: None, parameters: json!({"type": "object"}) };
    ModelRequest {
        model: "claude-sonnet-4-5".into(),
        messages: vec![Message::user("What is the weather in Paris, and the time?")],
        tools: vec![tool("get_weather"), tool("get_time")],
        ..ModelRequest::default()
    }
}

/// Every event of a streamed call, and the error it ended with (yielded once, last).
async fn run(target: &Target, request: &ModelRequest) -> (Vec<StreamEvent>, Option<ProviderError>) {
    let mut stream = match Client::default().stream(target, request).await {
        Ok(stream) => stream,
        Err(error) => return (Vec::new(), Some(error)),
    };
    let mut events = Vec::new();
    let mut error = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => {
                assert!(error.is_none(), "an event came after the error: {event:?}");
                events.push(event);
            }
            Err(e) => {
                assert!(error.is_none(), "two errors from one stream");
                error = Some(e);
            }
        }
    }
    (events, error)
}

fn text(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| if let StreamEvent::TextDelta { text } = e { Some(text.as_str()) } else { None })
        .collect()
}

fn thinking(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| if let StreamEvent::ThinkingDelta { text } = e { Some(text.as_str()) } else { None })
        .collect()
}

fn usage(events: &[StreamEvent]) -> llm::Usage {
    let usages: Vec<_> = events
        .iter()
        .filter_map(|e| if let StreamEvent::Usage { usage } = e { Some(*usage) } else { None })
        .collect();
    assert_eq!(usages.len(), 1, "exactly one Usage: {events:?}");
    usages[0]
}

fn stop(events: &[StreamEvent]) -> StopReason {
    match events.last() {
        Some(StreamEvent::Stop { reason }) => *reason,
        other => panic!("the stream must end with Stop, ended with {other:?}"),
    }
}

/// A stream that failed: the error and its reason, and no Stop among the events.
fn failed(events: &[StreamEvent], error: Option<ProviderError>) -> ProviderError {
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Stop { .. })),
        "a failed stream reported Stop: {events:?}"
    );
    error.expect("the stream must end with an error")
}

#[tokio::test]
async fn text_streams_with_reported_usage() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("Hello there, friend.").usage(42, 3));
    let (events, error) = run(&target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(text(&events), "Hello there, friend.");
    assert!(
        events.iter().filter(|e| matches!(e, StreamEvent::TextDelta { .. })).count() >= 2,
        "streamed in pieces"
    );
    assert_eq!(usage(&events), llm::Usage { input: 42, output: 3, ..llm::Usage::default() });
    assert_eq!(stop(&events), StopReason::EndTurn);
}

#[tokio::test]
async fn reasoning_arrives_as_thinking_with_its_signature() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::reasoning_then_text("First, recall the facts.", "Paris is sunny."));
    let (events, error) = run(&reasoning_target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(thinking(&events), "First, recall the facts.");
    assert_eq!(text(&events), "Paris is sunny.");
    assert!(events
        .iter()
        .any(|e| matches!(e, StreamEvent::ThinkingSignature { signature } if !signature.is_empty())));
    assert_eq!(stop(&events), StopReason::EndTurn);
}

#[tokio::test]
async fn inline_think_tags_from_a_proxied_local_model_never_reach_the_text() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text_deltas(["<thi", "nk>check the units</th", "ink>It is 18 degrees."]));
    let (events, error) = run(&reasoning_target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(thinking(&events), "check the units");
    assert_eq!(text(&events), "It is 18 degrees.");
}

#[tokio::test]
async fn parallel_tool_calls_stream_with_their_own_indexes() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::tool_calls([
        ("get_weather", json!({"city": "Paris", "unit": "celsius"})),
        ("get_time", json!({"timezone": "Europe/Paris"})),
    ]));
    let (events, error) = run(&target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    let starts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::ToolCallStart { index, id, name } => {
                Some((*index, id.starts_with("toolu_"), name.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(starts, [(0, true, "get_weather".to_owned()), (1, true, "get_time".to_owned())]);
    let arguments = |wanted: usize| -> serde_json::Value {
        let raw: String = events
            .iter()
            .filter_map(|e| match e {
                StreamEvent::ToolCallDelta { index, arguments } if *index == wanted => {
                    Some(arguments.as_str())
                }
                _ => None,
            })
            .collect();
        serde_json::from_str(&raw).unwrap()
    };
    assert_eq!(arguments(0), json!({"city": "Paris", "unit": "celsius"}));
    assert_eq!(arguments(1), json!({"timezone": "Europe/Paris"}));
    assert_eq!(events.iter().filter(|e| matches!(e, StreamEvent::ToolCallEnd { .. })).count(), 2);
    assert_eq!(stop(&events), StopReason::ToolUse);
}

#[tokio::test]
async fn reasoning_then_a_tool_call_non_streamed() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::reasoning_then_tool_call(
        "Need the weather tool.",
        "get_weather",
        json!({"city": "Lyon"}),
    ));
    let completion =
        Client::default().complete(&reasoning_target(&up), &request()).await.expect("call succeeds");
    let content = &completion.response.message.content;
    assert!(
        matches!(&content[0], ContentBlock::Thinking { thinking, signature: Some(_), .. } if thinking == "Need the weather tool.")
    );
    assert!(
        matches!(&content[1], ContentBlock::ToolCall { name, arguments, .. } if name == "get_weather" && *arguments == json!({"city": "Lyon"}))
    );
    assert_eq!(completion.response.stop, Some(StopReason::ToolUse));
    assert!(!completion.usage.estimated);
}

#[tokio::test]
async fn missing_usage_is_estimated() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("A short answer without counts.").without_usage());
    let (events, error) = run(&target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    let usage = usage(&events);
    assert!(usage.estimated);
    assert!(usage.input > 0 && usage.output > 0, "{usage:?}");
}

#[tokio::test]
async fn refusal_and_max_tokens_are_stop_reasons_not_errors() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("I can't help with that.").stop_reason(ScriptStop::ContentFilter));
    up.push(Script::text("This answer was cut").stop_reason(ScriptStop::Length));
    let (events, error) = run(&target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(stop(&events), StopReason::Refusal);
    let (events, error) = run(&target(&up), &request()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(stop(&events), StopReason::MaxTokens);
}

async fn fault(fault: Fault) -> (Vec<StreamEvent>, ProviderError) {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("one two three four five six").with_fault(fault));
    let (events, error) = run(&target(&up), &request()).await;
    let error = failed(&events, error);
    (events, error)
}

#[tokio::test]
async fn rate_limit_with_retry_after() {
    let (_, error) = fault(Fault::RateLimited { retry_after: Some(7) }).await;
    assert_eq!(error.reason, FailoverReason::RateLimit);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn rate_limit_without_retry_after() {
    let (_, error) = fault(Fault::RateLimited { retry_after: None }).await;
    assert_eq!(error.reason, FailoverReason::RateLimit);
    assert_eq!(error.retry_after, None);
}

#[tokio::test]
async fn server_error_500_fails_over() {
    let (_, error) = fault(Fault::ServerError).await;
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        error.reason,
        FailoverReason::Timeout,
        "OpenClaw reads a 500 as a timeout (failover): {error}"
    );
}

#[tokio::test]
async fn overloaded_529_is_overloaded() {
    let (_, error) = fault(Fault::Unavailable).await;
    assert_eq!(error.status(), Some(529));
    assert_eq!(error.reason, FailoverReason::Overloaded);
}

#[tokio::test]
async fn invalid_key_is_auth() {
    let (_, error) = fault(Fault::InvalidApiKey).await;
    assert_eq!(error.reason, FailoverReason::Auth);
}

#[tokio::test]
async fn context_length_exceeded_is_context_overflow() {
    let (_, error) = fault(Fault::ContextLengthExceeded).await;
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.reason, FailoverReason::ContextOverflow);
}

#[tokio::test]
async fn content_filter_is_content_filter() {
    let (_, error) = fault(Fault::ContentFilter).await;
    assert_eq!(error.reason, FailoverReason::ContentFilter);
}

#[tokio::test]
async fn unknown_model_is_model_not_found() {
    let (_, error) = fault(Fault::ModelNotLoaded).await;
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.reason, FailoverReason::ModelNotFound);
}

#[tokio::test]
async fn reset_before_headers_is_a_transport_timeout() {
    let (events, error) = fault(Fault::ResetBeforeHeaders).await;
    assert!(events.is_empty());
    assert_eq!(error.reason, FailoverReason::Timeout);
    assert!(error.transport_failure().is_some_and(|f| f.before_response()), "{error}");
}

#[tokio::test]
async fn a_stream_cut_after_two_tokens_fails_after_its_partial_text() {
    let (events, error) = fault(Fault::CutAfter { tokens: 2 }).await;
    assert_eq!(text(&events), "one two");
    assert_eq!(error.reason, FailoverReason::Timeout);
    assert!(error.transport_failure().is_some(), "{error}");
}

#[tokio::test]
async fn a_malformed_chunk_is_a_malformed_stream() {
    let (events, error) = fault(Fault::MalformedChunk { after: 1 }).await;
    assert_eq!(text(&events), "one");
    assert_eq!(error.transport_failure(), Some(providers::classify::TransportFailure::MalformedChunk));
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn a_stream_without_message_stop_is_not_finished() {
    let (events, error) = fault(Fault::NoTerminal).await;
    assert_eq!(text(&events), "one two three four five six");
    assert_eq!(
        error.transport_failure(),
        Some(providers::classify::TransportFailure::StreamEndedWithoutTerminal)
    );
}

#[tokio::test]
async fn an_error_event_mid_stream_is_overloaded() {
    let (events, error) = fault(Fault::ErrorEventAfter { tokens: 3 }).await;
    assert_eq!(text(&events), "one two three");
    assert_eq!(error.reason, FailoverReason::Overloaded);
    assert!(error.to_string().contains("Overloaded"), "{error}");
}

#[tokio::test]
async fn a_non_streamed_answer_cut_in_half_fails() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("complete me").with_fault(Fault::CutAfter { tokens: 1 }));
    let error =
        Client::default().complete(&target(&up), &request()).await.expect_err("a cut body is an error");
    assert_eq!(error.reason, FailoverReason::Timeout);
}
