//! What an Anthropic Messages upstream receives: each test calls `Client::stream` or
//! `Client::complete` against the testkit's Anthropic mock and asserts, field by field, the body and
//! headers the mock recorded.

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{
    ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, StopReason, StreamEvent,
    ToolChoice, ToolSpec,
};
use providers::{Auth, Client, Target};
use serde_json::{json, Value};
use testkit::{Flavor, MockUpstream, RecordedRequest, Script};

const KEY: &str = "sk-ant-api03-test-key";

fn target(up: &MockUpstream) -> Target {
    let mut model =
        ResolvedModel::new("anthropic", "claude-sonnet-4-5", Api::AnthropicMessages, up.base_url());
    model.max_tokens = 4096;
    Target::new(model).with_key(KEY)
}

fn request() -> ModelRequest {
    ModelRequest {
        model: "claude-sonnet-4-5".into(),
        messages: vec![Message::user("Hello")],
        ..ModelRequest::default()
    }
}

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Current weather for a city".into()),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    }
}

/// Streams one call to the end and returns what the upstream received.
async fn streamed(up: &MockUpstream, target: &Target, request: &ModelRequest) -> RecordedRequest {
    let mut stream = Client::default().stream(target, request).await.expect("the call starts");
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        events.push(event.expect("the mock's answer decodes"));
    }
    assert!(matches!(events.last(), Some(StreamEvent::Stop { .. })), "the stream finished: {events:?}");
    let requests = up.requests();
    assert_eq!(requests.len(), 1, "exactly one request reached the upstream");
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn stream_posts_to_v1_messages_with_dialect_headers_and_key() {
    let up = MockUpstream::builder(Flavor::Anthropic).api_key(KEY).start().await;
    let seen = streamed(&up, &target(&up), &request()).await;
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(seen.header("x-api-key"), Some(KEY));
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.header("accept"), Some("text/event-stream"));
    let content_types: Vec<_> = seen.headers.get_all("content-type").iter().collect();
    assert_eq!(content_types, ["application/json"], "content-type is sent exactly once");
    assert_eq!(
        seen.body,
        json!({"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello"}]}],
               "max_tokens": 4096, "stream": true})
    );
}

#[tokio::test]
async fn complete_sends_no_stream_flag_and_reads_the_message() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::text("Bonjour à toi").usage(11, 4));
    let completion = Client::default().complete(&target(&up), &request()).await.expect("the call succeeds");
    let seen = &up.requests()[0];
    assert_eq!(seen.body.get("stream"), None);
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(seen.body["max_tokens"], 4096);
    assert_eq!(completion.response.message.text(), "Bonjour à toi");
    assert_eq!(completion.response.stop, Some(StopReason::EndTurn));
    assert_eq!((completion.usage.input, completion.usage.output, completion.usage.estimated), (11, 4, false));
}

#[tokio::test]
async fn a_base_url_ending_in_v1_is_not_doubled() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut target = target(&up);
    target.model.base_url = format!("{}/v1/", up.base_url());
    assert_eq!(streamed(&up, &target, &request()).await.path, "/v1/messages");
}

#[tokio::test]
async fn bearer_auth_and_provider_headers_pass_through() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut target = target(&up);
    target.auth = Auth::Bearer(config::Secret::new("kimi-token"));
    target.headers.push(("x-custom-route".into(), "east".into()));
    let seen = streamed(&up, &target, &request()).await;
    assert_eq!(seen.header("authorization"), Some("Bearer kimi-token"));
    assert_eq!(seen.header("x-api-key"), None);
    assert_eq!(seen.header("x-custom-route"), Some("east"));
    assert_eq!(seen.header("anthropic-version"), Some("2023-06-01"));
}

#[tokio::test]
async fn system_stop_sampling_and_max_tokens() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let request = ModelRequest {
        system: Some("You are terse.".into()),
        stop: vec!["###".into()],
        temperature: Some(0.3),
        top_p: Some(0.9),
        max_tokens: Some(256),
        ..request()
    };
    let body = streamed(&up, &target(&up), &request).await.body;
    // A proxy (not api.anthropic.com) gets the system prompt as a plain string.
    assert_eq!(body["system"], "You are terse.");
    assert_eq!(body["stop_sequences"], json!(["###"]));
    assert_eq!(body["max_tokens"], 256);
    assert!((body["temperature"].as_f64().unwrap() - 0.3).abs() < 1e-6);
    assert!((body["top_p"].as_f64().unwrap() - 0.9).abs() < 1e-6);
    assert_eq!(body.get("thinking"), None);
}

#[tokio::test]
async fn tools_tool_choice_and_a_tool_round_trip_in_history() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let request = ModelRequest {
        messages: vec![
            Message::user("Weather in Paris?"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::text("Checking."),
                    ContentBlock::ToolCall {
                        id: "toolu_01A".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "toolu_01A".into(),
                    name: Some("get_weather".into()),
                    content: vec![ContentBlock::text("18°C, cloudy")],
                    is_error: false,
                }],
            },
            Message::user("And tomorrow?"),
        ],
        tools: vec![weather_tool()],
        tool_choice: Some(ToolChoice::Required),
        ..request()
    };
    let body = streamed(&up, &target(&up), &request).await.body;
    assert_eq!(
        body["tools"],
        json!([{"name": "get_weather", "description": "Current weather for a city",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}])
    );
    assert_eq!(body["tool_choice"], json!({"type": "any"}));
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}}
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18°C, cloudy"},
                {"type": "text", "text": "And tomorrow?"}
            ]}
        ])
    );
}

#[tokio::test]
async fn images_follow_the_models_input_list() {
    let image_request = ModelRequest {
        messages: vec![Message {
            role: Role::User,
            content: vec![
                ContentBlock::text("Describe"),
                ContentBlock::Image {
                    source: ImageSource::Base64 {
                        media_type: "image/png".into(),
                        data: "iVBORw0KGgo=".into(),
                    },
                },
            ],
        }],
        ..request()
    };
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut vision = target(&up);
    vision.model.input = vec!["text".into(), "image".into()];
    let body = streamed(&up, &vision, &image_request).await.body;
    assert_eq!(
        body["messages"][0]["content"][1],
        json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}})
    );

    let up = MockUpstream::start(Flavor::Anthropic).await;
    let body = streamed(&up, &target(&up), &image_request).await.body;
    assert_eq!(body["messages"][0]["content"], json!([{"type": "text", "text": "Describe"}]));
}

#[tokio::test]
async fn reasoning_effort_sends_a_thinking_budget_and_drops_temperature() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    up.push(Script::reasoning_then_text("Let me think.", "Done."));
    let mut target = target(&up);
    target.model.reasoning = true;
    let request = ModelRequest {
        reasoning: Some(ReasoningEffort::High),
        max_tokens: Some(20_000),
        temperature: Some(0.7),
        ..request()
    };
    let body = streamed(&up, &target, &request).await.body;
    assert_eq!(body["thinking"], json!({"type": "enabled", "budget_tokens": 16_384}));
    assert_eq!(body.get("temperature"), None);
    assert_eq!(body["max_tokens"], 20_000);
}

#[tokio::test]
async fn thinking_off_on_a_reasoning_model_is_explicit_and_not_sent_to_plain_models() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut reasoning = target(&up);
    reasoning.model.reasoning = true;
    let off = ModelRequest { reasoning: Some(ReasoningEffort::Off), temperature: Some(0.5), ..request() };
    let body = streamed(&up, &reasoning, &off).await.body;
    assert_eq!(body["thinking"], json!({"type": "disabled"}));
    assert!(body.get("temperature").is_some());

    let up = MockUpstream::start(Flavor::Anthropic).await;
    let high = ModelRequest { reasoning: Some(ReasoningEffort::High), ..request() };
    assert_eq!(streamed(&up, &target(&up), &high).await.body.get("thinking"), None);
}

#[tokio::test]
async fn compat_flags_remove_tools_and_temperature() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut target = target(&up);
    target.model.compat.supports_tools = Some(false);
    target.model.compat.supports_temperature = Some(false);
    let request = ModelRequest {
        tools: vec![weather_tool()],
        tool_choice: Some(ToolChoice::Auto),
        temperature: Some(0.2),
        ..request()
    };
    let body = streamed(&up, &target, &request).await.body;
    assert_eq!((body.get("tools"), body.get("tool_choice"), body.get("temperature")), (None, None, None));
}

#[tokio::test]
async fn compat_thinking_as_text_replays_reasoning_as_tagged_text() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let history = vec![
        Message::user("q"),
        Message {
            role: Role::Assistant,
            content: vec![
                ContentBlock::Thinking {
                    thinking: "pondering".into(),
                    signature: Some("EqQBCkgIBxABGAIqQLd8f3mKp0YzQ9vR1sT2uV3wX4yZ5aB6cD7eF8gH9".into()),
                    encrypted: None,
                },
                ContentBlock::text("a"),
            ],
        },
        Message::user("more"),
    ];
    let request = ModelRequest { messages: history, ..request() };

    let body = streamed(&up, &target(&up), &request).await.body;
    assert_eq!(
        body["messages"][1]["content"][0],
        json!({"type": "thinking", "thinking": "pondering",
               "signature": "EqQBCkgIBxABGAIqQLd8f3mKp0YzQ9vR1sT2uV3wX4yZ5aB6cD7eF8gH9"})
    );

    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut as_text = target(&up);
    as_text.model.compat.requires_thinking_as_text = Some(true);
    let body = streamed(&up, &as_text, &request).await.body;
    assert_eq!(
        body["messages"][1]["content"],
        json!([{"type": "text", "text": "<thinking>pondering</thinking>"}, {"type": "text", "text": "a"}])
    );
}

#[tokio::test]
async fn extra_body_from_params_is_merged_last() {
    let up = MockUpstream::start(Flavor::Anthropic).await;
    let mut target = target(&up);
    target.model.params.insert("extra_body".into(), json!({"top_k": 40, "max_tokens": 1234}));
    let mut request = request();
    request.params.insert("extraBody".into(), json!({"metadata": {"user_id": "user-7"}}));
    let body = streamed(&up, &target, &request).await.body;
    assert_eq!(body["top_k"], 40);
    assert_eq!(body["max_tokens"], 1234);
    assert_eq!(body["metadata"], json!({"user_id": "user-7"}));
    assert_eq!(body["model"], Value::from("claude-sonnet-4-5"));
}
