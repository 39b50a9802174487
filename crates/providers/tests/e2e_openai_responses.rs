//! End to end over HTTP: `Client::stream` / `Client::complete` with the `openai-responses` dialect
//! against the LM Studio and OpenAI mock upstreams — answers decoded into events, and every injected
//! fault classified to its `FailoverReason`, never reported as a finished answer.

use std::time::Duration;

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, FailoverReason, Message, ModelRequest, StopReason, StreamEvent, ToolSpec};
use providers::classify::TransportFailure;
use providers::{Client, ProviderError, ProviderErrorKind, Target};
use serde_json::json;
use testkit::{Fault, Flavor, MockUpstream, Script, StopReason as ScriptStop};

fn target(up: &MockUpstream, reasoning: bool) -> Target {
    let provider = up.flavor().provider_id();
    let mut model = ResolvedModel::new(provider, "qwen/qwen3-8b", Api::OpenaiResponses, up.base_url());
    model.reasoning = reasoning;
    Target::new(model)
}

fn request() -> ModelRequest {
    ModelRequest {
        model: "qwen/qwen3-8b".into(),
        messages: vec![Message::user("What is the weather in Paris and Rome?")],
        tools: vec![ToolSpec {
            name: "get_weather".into(),
            description: None,
            parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
        }],
        ..ModelRequest::default()
    }
}

/// Streams one call: the events before the end, and the error it ended with, if any.
async fn stream(up: &MockUpstream, target: &Target) -> (Vec<StreamEvent>, Option<ProviderError>) {
    let mut events = Vec::new();
    let mut stream = match Client::default().stream(target, &request()).await {
        Ok(stream) => stream,
        Err(error) => return (events, Some(error)),
    };
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => return (events, Some(error)),
        }
    }
    assert!(up.request_count() > 0);
    (events, None)
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

fn stop(events: &[StreamEvent]) -> Option<StopReason> {
    events.iter().find_map(|e| if let StreamEvent::Stop { reason } = e { Some(*reason) } else { None })
}

fn usage(events: &[StreamEvent]) -> llm::Usage {
    events
        .iter()
        .find_map(|e| if let StreamEvent::Usage { usage } = e { Some(*usage) } else { None })
        .expect("usage")
}

#[tokio::test]
async fn text_answers_stream_with_server_usage() {
    for flavor in [Flavor::LmStudio, Flavor::OpenAi] {
        let up = MockUpstream::start(flavor).await;
        up.push(Script::text("Paris is sunny today.").usage(30, 5));
        let (events, error) = stream(&up, &target(&up, false)).await;
        assert!(error.is_none(), "{flavor:?}: {error:?}");
        assert_eq!(text(&events), "Paris is sunny today.");
        assert_eq!(stop(&events), Some(StopReason::EndTurn));
        let usage = usage(&events);
        assert_eq!((usage.input, usage.output, usage.estimated), (30, 5, false), "{flavor:?}");
    }
}

#[tokio::test]
async fn reasoning_items_become_thinking_never_text() {
    for flavor in [Flavor::LmStudio, Flavor::OpenAi] {
        let up = MockUpstream::start(flavor).await;
        up.push(Script::reasoning_then_text("The user wants the weather.", "It is 18 degrees."));
        let (events, error) = stream(&up, &target(&up, true)).await;
        assert!(error.is_none(), "{flavor:?}: {error:?}");
        assert_eq!(thinking(&events), "The user wants the weather.", "{flavor:?}");
        assert_eq!(text(&events), "It is 18 degrees.", "{flavor:?}");
        let first_text = events.iter().position(|e| matches!(e, StreamEvent::TextDelta { .. })).unwrap();
        let last_thinking =
            events.iter().rposition(|e| matches!(e, StreamEvent::ThinkingDelta { .. })).unwrap();
        assert!(last_thinking < first_text, "{flavor:?}: reasoning comes before the answer");
    }
}

#[tokio::test]
async fn inline_think_tags_in_output_text_are_split_out() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::text_deltas(["<thi", "nk>check the", " forecast</th", "ink>Rain", " later."]));
    let (events, error) = stream(&up, &target(&up, true)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(thinking(&events), "check the forecast");
    assert_eq!(text(&events), "Rain later.");
}

#[tokio::test]
async fn parallel_tool_calls_keep_their_call_ids() {
    for flavor in [Flavor::LmStudio, Flavor::OpenAi] {
        let up = MockUpstream::start(flavor).await;
        up.push(Script::tool_calls([
            ("get_weather", json!({"city": "Paris"})),
            ("get_weather", json!({"city": "Rome"})),
        ]));
        let completion =
            Client::default().complete(&target(&up, false), &request()).await.expect("completes");
        let calls: Vec<_> = completion
            .response
            .message
            .content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::ToolCall { id, name, arguments } => {
                    Some((id.clone(), name.clone(), arguments.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(calls.len(), 2, "{flavor:?}");
        assert!(
            calls.iter().all(|(id, name, _)| id.starts_with("call_") && name == "get_weather"),
            "{calls:?}"
        );
        assert_eq!(calls[0].2, json!({"city": "Paris"}));
        assert_eq!(calls[1].2, json!({"city": "Rome"}));
        assert_eq!(completion.response.stop, Some(StopReason::ToolUse));

        up.push(Script::tool_calls([
            ("get_weather", json!({"city": "Paris"})),
            ("get_weather", json!({"city": "Rome"})),
        ]));
        let (events, error) = stream(&up, &target(&up, false)).await;
        assert!(error.is_none());
        let starts: Vec<usize> = events
            .iter()
            .filter_map(
                |e| if let StreamEvent::ToolCallStart { index, .. } = e { Some(*index) } else { None },
            )
            .collect();
        assert_eq!(starts, [0, 1]);
        assert_eq!(stop(&events), Some(StopReason::ToolUse));
    }
}

#[tokio::test]
async fn reasoning_then_tool_call() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::reasoning_then_tool_call("Need the tool.", "get_weather", json!({"city": "Oslo"})));
    let completion = Client::default().complete(&target(&up, true), &request()).await.expect("completes");
    let content = &completion.response.message.content;
    assert!(matches!(&content[0], ContentBlock::Thinking { thinking, .. } if thinking == "Need the tool."));
    assert!(
        matches!(&content[1], ContentBlock::ToolCall { arguments, .. } if arguments == &json!({"city": "Oslo"}))
    );
    assert_eq!(completion.response.message.text(), "");
}

#[tokio::test]
async fn missing_usage_is_estimated() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::text("A fairly short answer.").without_usage());
    let (events, error) = stream(&up, &target(&up, false)).await;
    assert!(error.is_none());
    let usage = usage(&events);
    assert!(usage.estimated && usage.input > 0 && usage.output > 0, "{usage:?}");
    up.push(Script::text("Again.").without_usage());
    let completion = Client::default().complete(&target(&up, false), &request()).await.unwrap();
    assert!(completion.usage.estimated);
}

#[tokio::test]
async fn length_and_content_filter_stops() {
    let up = MockUpstream::start(Flavor::OpenAi).await;
    up.push(Script::text("cut short").stop_reason(ScriptStop::Length));
    up.push(Script::text("filtered").stop_reason(ScriptStop::ContentFilter));
    assert_eq!(stop(&stream(&up, &target(&up, false)).await.0), Some(StopReason::MaxTokens));
    assert_eq!(stop(&stream(&up, &target(&up, false)).await.0), Some(StopReason::ContentFilter));
    up.push(Script::text("cut short").stop_reason(ScriptStop::Length));
    let completion = Client::default().complete(&target(&up, false), &request()).await.unwrap();
    assert_eq!(completion.response.stop, Some(StopReason::MaxTokens));
}

/// One fault on one flavour, streamed and (for HTTP errors) not streamed.
struct Case {
    flavor: Flavor,
    fault: Fault,
    reason: FailoverReason,
}

const fn case(flavor: Flavor, fault: Fault, reason: FailoverReason) -> Case {
    Case { flavor, fault, reason }
}

#[tokio::test]
async fn http_error_faults_are_classified() {
    use FailoverReason::*;
    let cases = [
        case(Flavor::LmStudio, Fault::RateLimited { retry_after: Some(7) }, RateLimit),
        case(Flavor::OpenAi, Fault::RateLimited { retry_after: None }, RateLimit),
        case(Flavor::OpenAi, Fault::ServerError, ServerError),
        case(Flavor::LmStudio, Fault::ServerError, ServerError),
        case(Flavor::OpenAi, Fault::Unavailable, Overloaded),
        case(Flavor::LmStudio, Fault::Unavailable, Timeout),
        case(Flavor::OpenAi, Fault::InvalidApiKey, Auth),
        case(Flavor::OpenAi, Fault::ContextLengthExceeded, ContextOverflow),
        case(Flavor::LmStudio, Fault::ContextLengthExceeded, ContextOverflow),
        case(Flavor::OpenAi, Fault::ContentFilter, ContentFilter),
        case(Flavor::LmStudio, Fault::ContentFilter, ContentFilter),
        case(Flavor::LmStudio, Fault::ModelNotLoaded, ModelLoading),
        case(Flavor::OpenAi, Fault::ModelNotLoaded, ModelNotFound),
    ];
    for Case { flavor, fault, reason } in cases {
        let up = MockUpstream::start(flavor).await;
        up.push(Script::fault(fault.clone()));
        let (events, error) = stream(&up, &target(&up, false)).await;
        let error = error.unwrap_or_else(|| panic!("{flavor:?} {fault:?}: stream finished"));
        assert_eq!(error.reason, reason, "{flavor:?} {fault:?} streamed: {error}");
        assert!(stop(&events).is_none(), "{flavor:?} {fault:?}: a Stop was reported");
        if let Fault::RateLimited { retry_after } = fault {
            assert_eq!(error.retry_after, retry_after.map(Duration::from_secs), "{flavor:?}");
        }

        up.push(Script::fault(fault.clone()));
        let error = Client::default().complete(&target(&up, false), &request()).await.expect_err("fails");
        assert_eq!(error.reason, reason, "{flavor:?} {fault:?} complete: {error}");
        assert!(error.status().is_some(), "{flavor:?} {fault:?}: an HTTP error keeps its status");
    }
}

#[tokio::test]
async fn connection_reset_before_headers_is_a_timeout() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::fault(Fault::ResetBeforeHeaders));
    let (events, error) = stream(&up, &target(&up, false)).await;
    let error = error.expect("fails");
    assert!(events.is_empty());
    assert_eq!(error.reason, FailoverReason::Timeout);
    assert!(error.transport_failure().is_some_and(TransportFailure::before_response), "{error}");
}

#[tokio::test]
async fn broken_streams_fail_after_their_partial_events() {
    for flavor in [Flavor::LmStudio, Flavor::OpenAi] {
        let up = MockUpstream::start(flavor).await;
        let words = "one two three four five six";

        up.push(Script::text(words).with_fault(Fault::CutAfter { tokens: 2 }));
        let (events, error) = stream(&up, &target(&up, false)).await;
        let error = error.expect("a cut stream fails");
        assert_eq!(text(&events), "one two", "{flavor:?}");
        assert_eq!(error.reason, FailoverReason::Timeout, "{flavor:?}: {error}");
        assert!(stop(&events).is_none());

        up.push(Script::text(words).with_fault(Fault::MalformedChunk { after: 1 }));
        let (events, error) = stream(&up, &target(&up, false)).await;
        let error = error.expect("a malformed chunk fails");
        assert_eq!(text(&events), "one");
        assert_eq!(error.transport_failure(), Some(TransportFailure::MalformedChunk), "{flavor:?}: {error}");
        assert_eq!(error.reason, FailoverReason::Timeout);

        up.push(Script::text(words).with_fault(Fault::NoTerminal));
        let (events, error) = stream(&up, &target(&up, false)).await;
        let error = error.expect("no terminal event fails");
        assert_eq!(text(&events), words);
        assert_eq!(error.transport_failure(), Some(TransportFailure::StreamEndedWithoutTerminal));
        assert!(stop(&events).is_none() && !events.iter().any(|e| matches!(e, StreamEvent::Usage { .. })));

        up.push(Script::text(words).with_fault(Fault::ErrorEventAfter { tokens: 3 }));
        let (events, error) = stream(&up, &target(&up, false)).await;
        let error = error.expect("an error event fails");
        assert_eq!(text(&events), "one two three");
        assert!(
            matches!(&error.kind, ProviderErrorKind::Stream { code: Some(code), .. } if code == "server_error"),
            "{flavor:?}: {error}"
        );
        assert_eq!(error.reason, FailoverReason::ServerError, "{flavor:?}: {error}");
    }
}

#[tokio::test]
async fn a_cut_non_streamed_answer_fails() {
    let up = MockUpstream::start(Flavor::OpenAi).await;
    up.push(Script::text("whole answer").with_fault(Fault::CutAfter { tokens: 1 }));
    let error = Client::default().complete(&target(&up, false), &request()).await.expect_err("fails");
    assert_eq!(error.reason, FailoverReason::Timeout, "{error}");
}
