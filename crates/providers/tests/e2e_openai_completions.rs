//! End to end against the testkit mocks: `Client::stream` / `Client::complete` on the
//! `openai-completions` dialect, decoded answers (text, reasoning, tool calls, usage) and every fault
//! the mocks inject, each classified to its `FailoverReason` and never reported as a finished answer.

use std::time::Duration;

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, FailoverReason, Message, ModelRequest, StopReason, StreamEvent, ToolSpec};
use providers::classify::TransportFailure;
use providers::{Client, ProviderError, ProviderErrorKind, Target};
use serde_json::json;
use testkit::{Fault, Flavor, MockUpstream, Script};

fn target(up: &MockUpstream, reasoning: bool) -> Target {
    let flavor = up.flavor();
    let mut model = ResolvedModel::new(
        flavor.provider_id(),
        flavor.default_model().id,
        Api::OpenaiCompletions,
        up.base_url(),
    );
    model.reasoning = reasoning;
    model.context_window = Some(4096);
    Target::new(model)
}

fn ask(text: &str) -> ModelRequest {
    ModelRequest { messages: vec![Message::user(text)], ..ModelRequest::default() }
}

fn with_tools(mut request: ModelRequest) -> ModelRequest {
    let tool =
        |name: &str| ToolSpec { name: name.into(), description: None, parameters: json!({"type": "object"}) };
    request.tools = vec![tool("get_weather"), tool("get_time")];
    request
}

/// Every event of a streamed call, and the error it ended with, if any.
async fn run_stream(target: &Target, request: &ModelRequest) -> (Vec<StreamEvent>, Option<ProviderError>) {
    let mut stream = match Client::default().stream(target, request).await {
        Ok(stream) => stream,
        Err(error) => return (Vec::new(), Some(error)),
    };
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                assert!(stream.next().await.is_none(), "nothing may follow a stream error");
                return (events, Some(error));
            }
        }
    }
    (events, None)
}

fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| if let StreamEvent::TextDelta { text } = e { Some(text.as_str()) } else { None })
        .collect()
}

fn thinking_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| if let StreamEvent::ThinkingDelta { text } = e { Some(text.as_str()) } else { None })
        .collect()
}

fn stop_of(events: &[StreamEvent]) -> Option<StopReason> {
    events.iter().find_map(|e| if let StreamEvent::Stop { reason } = e { Some(*reason) } else { None })
}

fn usage_of(events: &[StreamEvent]) -> llm::Usage {
    events
        .iter()
        .find_map(|e| if let StreamEvent::Usage { usage } = e { Some(*usage) } else { None })
        .expect("usage")
}

/// A streamed call against `flavor` answering `script` that must fail: returns the error after
/// checking no `Stop` was reported.
async fn failing_stream(flavor: Flavor, script: Script) -> (Vec<StreamEvent>, ProviderError) {
    let up = MockUpstream::start(flavor).await;
    up.push(script);
    let (events, error) = run_stream(&target(&up, false), &ask("Tell me a story")).await;
    assert_eq!(stop_of(&events), None, "{flavor}: a failed stream must never report a Stop");
    (events, error.unwrap_or_else(|| panic!("{flavor}: the stream must fail")))
}

#[tokio::test]
async fn text_streams_with_the_servers_usage() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::text("Hello there, friend").usage(31, 3));
    let (events, error) = run_stream(&target(&up, false), &ask("Hi")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(text_of(&events), "Hello there, friend");
    assert_eq!(
        events.iter().filter(|e| matches!(e, StreamEvent::TextDelta { .. })).count(),
        3,
        "streamed, not held"
    );
    assert_eq!(usage_of(&events), llm::Usage { input: 31, output: 3, ..llm::Usage::default() });
    assert_eq!(stop_of(&events), Some(StopReason::EndTurn));
    assert!(matches!(events.last(), Some(StreamEvent::Stop { .. })));
}

#[tokio::test]
async fn reasoning_fields_become_thinking_never_text() {
    for flavor in [Flavor::LmStudio, Flavor::Vllm, Flavor::LlamaCpp] {
        let up = MockUpstream::start(flavor).await;
        up.push(Script::reasoning_then_text("The user greets me.", "Hi!"));
        let (events, error) = run_stream(&target(&up, true), &ask("Hello")).await;
        assert!(error.is_none(), "{flavor}: {error:?}");
        assert_eq!(thinking_of(&events), "The user greets me.", "{flavor}");
        assert_eq!(text_of(&events), "Hi!", "{flavor}");
        let field = if flavor == Flavor::Vllm { "reasoning" } else { "reasoning_content" };
        assert!(events.contains(&StreamEvent::ThinkingSignature { signature: field.into() }), "{flavor}");
    }
}

#[tokio::test]
async fn inline_think_tags_are_split_out_of_the_text() {
    let up = MockUpstream::start(Flavor::Vllm).await;
    up.push(Script::text_deltas(["<thi", "nk>Let me see.</th", "ink>The answer", " is 4."]));
    let (events, error) = run_stream(&target(&up, false), &ask("2+2?")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(thinking_of(&events), "Let me see.");
    assert_eq!(text_of(&events), "The answer is 4.");
}

#[tokio::test]
async fn parallel_tool_calls_and_reasoning_before_a_call() {
    let up = MockUpstream::start(Flavor::Vllm).await;
    up.push(Script::tool_calls([
        ("get_weather", json!({"city": "Paris"})),
        ("get_time", json!({"tz": "CET"})),
    ]));
    up.push(Script::reasoning_then_tool_call("Need the weather.", "get_weather", json!({"city": "Rome"})));
    let target = target(&up, true);
    let request = with_tools(ask("Weather and time in Paris?"));

    let (events, error) = run_stream(&target, &request).await;
    assert!(error.is_none(), "{error:?}");
    let assembled = providers::completion(&target, &events).response.message;
    let calls: Vec<(&str, serde_json::Value)> = assembled
        .content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::ToolCall { name, arguments, .. } => Some((name.as_str(), arguments.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(calls, vec![("get_weather", json!({"city": "Paris"})), ("get_time", json!({"tz": "CET"}))]);
    assert_eq!(stop_of(&events), Some(StopReason::ToolUse));

    let (events, error) = run_stream(&target, &request).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(thinking_of(&events), "Need the weather.");
    assert_eq!(text_of(&events), "");
    assert!(events
        .iter()
        .any(|e| matches!(e, StreamEvent::ToolCallStart { name, .. } if name == "get_weather")));
}

#[tokio::test]
async fn absent_usage_is_estimated() {
    let up = MockUpstream::start(Flavor::LlamaCpp).await;
    up.push(Script::text("A fairly short answer.").without_usage());
    let (events, error) = run_stream(&target(&up, false), &ask("Say something")).await;
    assert!(error.is_none(), "{error:?}");
    let usage = usage_of(&events);
    assert!(usage.estimated);
    assert!(usage.input > 0 && usage.output > 0, "{usage:?}");
}

#[tokio::test]
async fn complete_decodes_the_whole_answer() {
    let up = MockUpstream::start(Flavor::LlamaCpp).await;
    up.push(
        Script::reasoning_then_tool_call("Check it.", "get_weather", json!({"city": "Lima"})).usage(40, 7),
    );
    let target = target(&up, true);
    let done =
        Client::default().complete(&target, &with_tools(ask("Weather in Lima?"))).await.expect("completion");
    let content = &done.response.message.content;
    assert!(matches!(&content[0], ContentBlock::Thinking { thinking, signature, .. }
        if thinking == "Check it." && signature.as_deref() == Some("reasoning_content")));
    assert!(matches!(&content[1], ContentBlock::ToolCall { name, arguments, .. }
        if name == "get_weather" && arguments == &json!({"city": "Lima"})));
    assert_eq!(done.usage.input, 40);
    assert_eq!(done.usage.output, 7);

    up.push(Script::inline_think("hidden", "shown").without_usage());
    let done = Client::default().complete(&target, &ask("x")).await.expect("completion");
    let text: String = done
        .response
        .message
        .content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "shown");
    assert!(done.usage.estimated);
}

#[tokio::test]
async fn rate_limits_carry_retry_after_when_sent() {
    for flavor in [Flavor::LmStudio, Flavor::Vllm, Flavor::LlamaCpp, Flavor::OpenAi] {
        let (_, error) =
            failing_stream(flavor, Script::fault(Fault::RateLimited { retry_after: Some(2) })).await;
        assert_eq!(error.reason, FailoverReason::RateLimit, "{flavor}: {error}");
        assert_eq!(error.status(), Some(429));
        assert_eq!(error.retry_after, Some(Duration::from_secs(2)), "{flavor}");

        let (_, error) =
            failing_stream(flavor, Script::fault(Fault::RateLimited { retry_after: None })).await;
        assert_eq!(error.reason, FailoverReason::RateLimit, "{flavor}: {error}");
        assert_eq!(error.retry_after, None, "{flavor}");
    }
}

#[tokio::test]
async fn server_errors_and_unavailability_fail_over() {
    for flavor in [Flavor::LmStudio, Flavor::Vllm, Flavor::LlamaCpp, Flavor::OpenAi] {
        let (_, error) = failing_stream(flavor, Script::fault(Fault::ServerError)).await;
        assert_eq!(error.status(), Some(500), "{flavor}");
        // A structured `server_error` type (llama.cpp, OpenAI) or LM Studio's "model has crashed" is a
        // server error; vLLM's engine error reads as a transient timeout. Both fail over.
        let expected = match flavor {
            Flavor::OpenAi | Flavor::LlamaCpp | Flavor::LmStudio => FailoverReason::ServerError,
            _ => FailoverReason::Timeout,
        };
        assert_eq!(error.reason, expected, "{flavor}: {error}");
        let (_, error) = failing_stream(flavor, Script::fault(Fault::Unavailable)).await;
        assert_eq!(error.status(), Some(503), "{flavor}");
        // "overloaded" wording (OpenAI) or an `unavailable_error` type (llama.cpp) says overloaded;
        // a bare 503 is a timeout (openclaw-behaviour §5.3).
        let expected = match flavor {
            Flavor::OpenAi | Flavor::LlamaCpp => FailoverReason::Overloaded,
            _ => FailoverReason::Timeout,
        };
        assert_eq!(error.reason, expected, "{flavor}: {error}");
    }
}

#[tokio::test]
async fn a_reset_before_headers_is_a_timeout() {
    let (events, error) = failing_stream(Flavor::LmStudio, Script::fault(Fault::ResetBeforeHeaders)).await;
    assert!(events.is_empty());
    assert_eq!(error.reason, FailoverReason::Timeout, "{error}");
    assert!(error.transport_failure().is_some(), "{error}");
}

#[tokio::test]
async fn a_cut_stream_fails_after_its_partial_events() {
    let script = Script::text("one two three four five six").with_fault(Fault::CutAfter { tokens: 2 });
    let (events, error) = failing_stream(Flavor::Vllm, script).await;
    assert_eq!(text_of(&events), "one two");
    assert_eq!(error.reason, FailoverReason::Timeout, "{error}");
    assert!(error.transport_failure().is_some(), "{error}");
}

#[tokio::test]
async fn a_malformed_chunk_fails_the_stream() {
    let script = Script::text("one two three").with_fault(Fault::MalformedChunk { after: 1 });
    let (events, error) = failing_stream(Flavor::LlamaCpp, script).await;
    assert_eq!(text_of(&events), "one");
    assert_eq!(error.transport_failure(), Some(TransportFailure::MalformedChunk), "{error}");
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn a_stream_without_done_is_never_a_success() {
    let (events, error) =
        failing_stream(Flavor::LmStudio, Script::text("almost finished").with_fault(Fault::NoTerminal)).await;
    assert_eq!(text_of(&events), "almost finished");
    assert_eq!(error.transport_failure(), Some(TransportFailure::StreamEndedWithoutTerminal), "{error}");
    assert_eq!(error.reason, FailoverReason::Timeout);
}

#[tokio::test]
async fn an_error_event_mid_stream_is_an_upstream_fault() {
    // LM Studio's crash text carries no status or type; its wording says the model crashed.
    let cases = [
        (Flavor::LmStudio, FailoverReason::ServerError),
        (Flavor::Vllm, FailoverReason::Timeout),
        (Flavor::LlamaCpp, FailoverReason::ServerError),
        (Flavor::OpenAi, FailoverReason::ServerError),
    ];
    for (flavor, expected) in cases {
        let script = Script::text("one two three").with_fault(Fault::ErrorEventAfter { tokens: 2 });
        let (events, error) = failing_stream(flavor, script).await;
        assert_eq!(text_of(&events), "one two", "{flavor}");
        assert!(matches!(error.kind, ProviderErrorKind::Stream { .. }), "{flavor}: {error}");
        assert_eq!(error.reason, expected, "{flavor}: {error}");
    }
}

#[tokio::test]
async fn context_overflow_is_classified_for_every_server() {
    for flavor in [Flavor::LmStudio, Flavor::Vllm, Flavor::LlamaCpp, Flavor::OpenAi] {
        let (_, error) = failing_stream(flavor, Script::fault(Fault::ContextLengthExceeded)).await;
        assert_eq!(error.reason, FailoverReason::ContextOverflow, "{flavor}: {error}");
    }
    // The non-streamed LM Studio answer is a plain 400.
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::fault(Fault::ContextLengthExceeded));
    let error = Client::default().complete(&target(&up, false), &ask("x")).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.reason, FailoverReason::ContextOverflow, "{error}");
}

#[tokio::test]
async fn content_filter_is_classified() {
    for flavor in [Flavor::LmStudio, Flavor::Vllm, Flavor::LlamaCpp, Flavor::OpenAi] {
        let (_, error) = failing_stream(flavor, Script::fault(Fault::ContentFilter)).await;
        assert_eq!(error.reason, FailoverReason::ContentFilter, "{flavor}: {error}");
    }
}

#[tokio::test]
async fn a_filtered_finish_is_a_content_filter_stop_not_an_error() {
    let up = MockUpstream::start(Flavor::OpenAi).await;
    up.push(Script::text("partial").stop_reason(testkit::StopReason::ContentFilter));
    let (events, error) = run_stream(&target(&up, false), &ask("x")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(stop_of(&events), Some(StopReason::ContentFilter));
}

#[tokio::test]
async fn model_not_loaded_names_the_loading_or_missing_model() {
    let cases = [
        (Flavor::LmStudio, FailoverReason::ModelLoading),
        (Flavor::LlamaCpp, FailoverReason::ModelLoading),
        (Flavor::Vllm, FailoverReason::ModelNotFound),
        (Flavor::OpenAi, FailoverReason::ModelNotFound),
    ];
    for (flavor, expected) in cases {
        let (_, error) = failing_stream(flavor, Script::fault(Fault::ModelNotLoaded)).await;
        assert_eq!(error.reason, expected, "{flavor}: {error}");
    }
}

#[tokio::test]
async fn max_tokens_stop_is_reported() {
    let up = MockUpstream::start(Flavor::Vllm).await;
    up.push(Script::text("cut short").stop_reason(testkit::StopReason::Length));
    let (events, error) = run_stream(&target(&up, false), &ask("x")).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(stop_of(&events), Some(StopReason::MaxTokens));
}
