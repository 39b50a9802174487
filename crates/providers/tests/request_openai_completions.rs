//! What an `openai-completions` upstream receives: `Client::stream` and `Client::complete` against the
//! testkit mocks, asserting the JSON body and headers the mock recorded, field by field, for each
//! compat flag and request option.

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec};
use providers::{Client, Target};
use serde_json::{json, Value};
use testkit::{Flavor, MockUpstream, RecordedRequest, Script};

fn target(up: &MockUpstream, setup: impl FnOnce(&mut ResolvedModel)) -> Target {
    let flavor = up.flavor();
    let mut model = ResolvedModel::new(
        flavor.provider_id(),
        flavor.default_model().id,
        Api::OpenaiCompletions,
        up.base_url(),
    );
    setup(&mut model);
    Target::new(model)
}

fn hello() -> ModelRequest {
    ModelRequest { messages: vec![Message::user("Hi")], ..ModelRequest::default() }
}

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Current weather".into()),
        parameters: json!({"type": "object", "properties": {
            "city": {"type": "string", "pattern": "^[A-Z].*", "format": "city-name"}
        }, "required": ["city"]}),
    }
}

/// Streams `request` to a fresh mock of `flavor` (answering `script`) to the end; returns what the
/// mock received.
async fn streamed(
    flavor: Flavor,
    setup: impl FnOnce(&mut ResolvedModel),
    request: &ModelRequest,
) -> RecordedRequest {
    let up = MockUpstream::start(flavor).await;
    up.push(Script::text("ok"));
    let target = target(&up, setup);
    let mut stream = Client::default().stream(&target, request).await.expect("stream starts");
    while let Some(event) = stream.next().await {
        event.expect("stream event");
    }
    up.last_request().expect("the mock saw the request")
}

async fn completed(
    flavor: Flavor,
    setup: impl FnOnce(&mut ResolvedModel),
    request: &ModelRequest,
) -> RecordedRequest {
    let up = MockUpstream::start(flavor).await;
    up.push(Script::text("ok"));
    let target = target(&up, setup);
    Client::default().complete(&target, request).await.expect("completion");
    up.last_request().expect("the mock saw the request")
}

#[tokio::test]
async fn a_streamed_call_posts_the_full_body_to_chat_completions() {
    let request = ModelRequest {
        system: Some("You are terse.".into()),
        max_tokens: Some(256),
        temperature: Some(0.25),
        top_p: Some(0.5),
        stop: vec!["</answer>".into()],
        ..hello()
    };
    let seen = streamed(Flavor::Vllm, |_| {}, &request).await;
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("accept"), Some("text/event-stream"));
    assert_eq!(seen.header("authorization"), None);
    let body = &seen.body;
    assert_eq!(body["model"], "Qwen/Qwen3-8B");
    assert_eq!(
        body["messages"],
        json!([{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hi"}])
    );
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"], json!({"include_usage": true}));
    assert_eq!(body["max_tokens"], 256);
    assert!(body.get("max_completion_tokens").is_none());
    assert_eq!(body["temperature"], 0.25);
    assert_eq!(body["top_p"], 0.5);
    assert_eq!(body["stop"], json!(["</answer>"]));
    for absent in ["store", "service_tier", "prompt_cache_key", "tools", "tool_choice", "reasoning_effort"] {
        assert!(body.get(absent).is_none(), "{absent} must not be sent to a local server");
    }
}

#[tokio::test]
async fn a_completed_call_asks_for_no_stream() {
    let seen = completed(Flavor::LlamaCpp, |_| {}, &hello()).await;
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.body["stream"], false);
    assert!(seen.body.get("stream_options").is_none());
    assert_eq!(seen.body["max_tokens"], 8192, "the model's maxTokens when the request sets none");
    assert_ne!(seen.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn key_and_provider_headers_are_sent() {
    let up = MockUpstream::builder(Flavor::LmStudio).api_key("sk-local-123").start().await;
    up.push(Script::text("ok"));
    let mut target = target(&up, |_| {}).with_key("sk-local-123");
    target.headers.push(("x-team".into(), "infra".into()));
    Client::default().complete(&target, &hello()).await.expect("authorised");
    let seen = up.last_request().unwrap();
    assert_eq!(seen.header("authorization"), Some("Bearer sk-local-123"));
    assert_eq!(seen.header("x-team"), Some("infra"));
}

#[tokio::test]
async fn usage_in_streaming_can_be_switched_off() {
    let seen =
        streamed(Flavor::LmStudio, |m| m.compat.supports_usage_in_streaming = Some(false), &hello()).await;
    assert_eq!(seen.body["stream"], true);
    assert!(seen.body.get("stream_options").is_none());
}

#[tokio::test]
async fn max_tokens_field_and_temperature_follow_compat() {
    let request = ModelRequest { max_tokens: Some(100), temperature: Some(0.9), ..hello() };
    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.compat.max_tokens_field = Some("max_completion_tokens".into());
            m.compat.supports_temperature = Some(false);
        },
        &request,
    )
    .await;
    assert_eq!(seen.body["max_completion_tokens"], 100);
    assert!(seen.body.get("max_tokens").is_none());
    assert!(seen.body.get("temperature").is_none());
}

#[tokio::test]
async fn tools_tool_choice_and_schema_cleanup() {
    let request = ModelRequest {
        tools: vec![weather_tool()],
        tool_choice: Some(ToolChoice::Tool("get_weather".into())),
        ..hello()
    };
    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.compat.unsupported_tool_schema_keywords = Some(vec!["format".into()]);
            m.compat.supports_strict_mode = Some(true);
        },
        &request,
    )
    .await;
    assert_eq!(
        seen.body["tools"],
        json!([{"type": "function", "function": {
            "name": "get_weather", "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string", "pattern": "^[A-Z].*"}},
                           "required": ["city"]},
            "strict": false}}])
    );
    assert_eq!(seen.body["tool_choice"], json!({"type": "function", "function": {"name": "get_weather"}}));

    // llama.cpp gets the llamacpp schema profile by default: no `pattern`.
    let seen = streamed(Flavor::LlamaCpp, |_| {}, &request).await;
    assert_eq!(
        seen.body["tools"][0]["function"]["parameters"]["properties"]["city"],
        json!({"type": "string", "format": "city-name"})
    );

    let seen = streamed(Flavor::Vllm, |m| m.compat.supports_tools = Some(false), &request).await;
    assert!(seen.body.get("tools").is_none() && seen.body.get("tool_choice").is_none());
}

fn tool_history() -> ModelRequest {
    let call = ContentBlock::ToolCall {
        id: "call_1".into(),
        name: "get_weather".into(),
        arguments: json!({"city": "Oslo"}),
    };
    let result = ContentBlock::ToolResult {
        tool_call_id: "call_1".into(),
        name: Some("get_weather".into()),
        content: vec![ContentBlock::text("-3C, snow")],
        is_error: false,
    };
    ModelRequest {
        messages: vec![
            Message::user("Weather in Oslo?"),
            Message { role: Role::Assistant, content: vec![call] },
            Message { role: Role::Tool, content: vec![result] },
            Message::user("And tomorrow?"),
        ],
        ..ModelRequest::default()
    }
}

#[tokio::test]
async fn tool_history_without_tools_sends_an_empty_tool_list() {
    let seen = streamed(Flavor::LmStudio, |_| {}, &tool_history()).await;
    assert_eq!(seen.body["tools"], json!([]));
    let messages = seen.body["messages"].as_array().unwrap();
    assert_eq!(
        messages[1],
        json!({"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
               "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}]})
    );
    assert_eq!(messages[2], json!({"role": "tool", "content": "-3C, snow", "tool_call_id": "call_1"}));
    assert_eq!(messages[3], json!({"role": "user", "content": "And tomorrow?"}));
}

#[tokio::test]
async fn tool_result_name_and_assistant_bridge_when_required() {
    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.compat.requires_tool_result_name = Some(true);
            m.compat.requires_assistant_after_tool_result = Some(true);
        },
        &tool_history(),
    )
    .await;
    let messages = seen.body["messages"].as_array().unwrap();
    assert_eq!(messages[2]["name"], "get_weather");
    assert_eq!(messages[3], json!({"role": "assistant", "content": "I have processed the tool results."}));
    assert_eq!(messages[4]["role"], "user");
}

fn picture_request() -> ModelRequest {
    let image = ContentBlock::Image {
        source: ImageSource::Base64 { media_type: "image/jpeg".into(), data: "/9j/4AAQ".into() },
    };
    ModelRequest {
        messages: vec![Message {
            role: Role::User,
            content: vec![ContentBlock::text("Describe"), ContentBlock::text("briefly."), image],
        }],
        ..ModelRequest::default()
    }
}

#[tokio::test]
async fn images_and_string_content() {
    let seen = streamed(Flavor::LmStudio, |m| m.input.push("image".into()), &picture_request()).await;
    assert_eq!(
        seen.body["messages"][0]["content"],
        json!([{"type": "text", "text": "Describe"}, {"type": "text", "text": "briefly."},
               {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}}])
    );
    // A text-only model never gets the image, and text-only content is one string (what
    // llama-cpp-python's server requires; recorded in scripts/real-llama-cpp.sh).
    let seen = streamed(Flavor::LmStudio, |_| {}, &picture_request()).await;
    assert_eq!(seen.body["messages"][0]["content"], "Describe\nbriefly.");
    // llama-cpp-python style servers need one string.
    let seen =
        streamed(Flavor::LlamaCpp, |m| m.compat.requires_string_content = Some(true), &picture_request())
            .await;
    assert_eq!(seen.body["messages"][0]["content"], "Describe\nbriefly.");
}

#[tokio::test]
async fn reasoning_effort_and_thinking_formats() {
    let request = ModelRequest { reasoning: Some(ReasoningEffort::High), ..hello() };
    let seen = streamed(Flavor::LmStudio, |m| m.reasoning = true, &request).await;
    assert_eq!(seen.body["reasoning_effort"], "high");

    let seen = streamed(Flavor::LmStudio, |_| {}, &request).await;
    assert!(seen.body.get("reasoning_effort").is_none(), "not a reasoning model");

    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.reasoning = true;
            m.compat.thinking_format = Some("qwen-chat-template".into());
        },
        &ModelRequest { reasoning: Some(ReasoningEffort::Off), ..hello() },
    )
    .await;
    assert_eq!(
        seen.body["chat_template_kwargs"],
        json!({"enable_thinking": false, "preserve_thinking": true})
    );
    assert!(seen.body.get("reasoning_effort").is_none());

    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.reasoning = true;
            m.compat.thinking_format = Some("qwen".into());
        },
        &request,
    )
    .await;
    assert_eq!(seen.body["enable_thinking"], true);
}

#[tokio::test]
async fn nemotron_defaults_then_params_then_extra_body() {
    let mut request = ModelRequest { reasoning: Some(ReasoningEffort::Off), ..hello() };
    request
        .params
        .insert("chat_template_kwargs".into(), json!({"force_nonempty_content": false, "custom": "x"}));
    request.params.insert("top_k".into(), json!(20));
    request.params.insert("min_p".into(), json!(0.0));
    request.params.insert("repetition_penalty".into(), json!(1.05));
    request.params.insert("preload".into(), json!(true));
    request.params.insert(
        "extra_body".into(),
        json!({"chat_template_kwargs": {"custom": "y"}, "store": true, "priority": 5}),
    );
    let seen = streamed(
        Flavor::Vllm,
        |m| {
            m.id = "nemotron-3-super".into();
            m.reasoning = true;
        },
        &request,
    )
    .await;
    let body = &seen.body;
    assert_eq!(body["model"], "nemotron-3-super");
    assert_eq!(
        body["chat_template_kwargs"],
        json!({"enable_thinking": false, "force_nonempty_content": false, "custom": "y"})
    );
    assert_eq!(body["top_k"], 20);
    assert_eq!(body["min_p"], 0.0);
    assert_eq!(body["repetition_penalty"], 1.05);
    assert_eq!(body["priority"], 5);
    assert!(body.get("preload").is_none(), "clawgate-only keys are not sent");
    assert!(body.get("extra_body").is_none());
    assert!(body.get("store").is_none(), "store is stripped again on proxy routes");
}

#[tokio::test]
async fn ollama_behind_openai_completions_gets_num_ctx() {
    let with_window = |m: &mut ResolvedModel| {
        m.provider = "ollama".into();
        m.context_window = Some(16_384);
    };
    let seen = streamed(Flavor::Vllm, with_window, &hello()).await;
    assert_eq!(seen.body["options"], json!({"num_ctx": 16384}));

    let up = MockUpstream::start(Flavor::Vllm).await;
    up.push(Script::text("ok"));
    let mut target = target(&up, with_window);
    target.inject_num_ctx = false;
    Client::default().complete(&target, &hello()).await.unwrap();
    assert!(up.last_request().unwrap().body.get("options").is_none());
}

#[tokio::test]
async fn replay_hygiene_strips_old_thinking_but_keeps_the_current_tool_turn() {
    let thinking = |text: &str| ContentBlock::Thinking {
        thinking: text.into(),
        signature: Some("reasoning_content".into()),
        encrypted: None,
    };
    let request = ModelRequest {
        messages: vec![
            Message::user("first"),
            Message { role: Role::Assistant, content: vec![thinking("old"), ContentBlock::text("A1")] },
            Message::user("second"),
            Message {
                role: Role::Assistant,
                content: vec![
                    thinking("plan"),
                    ContentBlock::ToolCall { id: "c1".into(), name: "ls".into(), arguments: json!({}) },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "c1".into(),
                    name: None,
                    content: vec![ContentBlock::text("a.txt")],
                    is_error: false,
                }],
            },
        ],
        ..ModelRequest::default()
    };
    let seen = streamed(Flavor::LlamaCpp, |_| {}, &request).await;
    let messages: &Vec<Value> = seen.body["messages"].as_array().unwrap();
    assert_eq!(messages[1], json!({"role": "assistant", "content": "A1"}));
    assert_eq!(messages[3]["reasoning_content"], "plan");

    let seen = streamed(Flavor::LlamaCpp, |m| m.reasoning = true, &request).await;
    assert_eq!(
        seen.body["messages"][1]["reasoning_content"], "old",
        "reasoning models keep replayed reasoning"
    );
}
