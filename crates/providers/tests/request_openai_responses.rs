//! What an `openai-responses` call puts on the wire, as the mock upstream received it: path, headers
//! and the JSON body field by field, for `Client::stream` and `Client::complete`, per compat flag and
//! option. (The mocks listen on 127.0.0.1, so every call here is a proxy route; the native-OpenAI-only
//! fields are covered by the unit tests of the request mapping.)

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec};
use providers::{Client, Target};
use serde_json::{json, Value};
use testkit::{Flavor, MockUpstream, RecordedRequest, Script};

fn target(up: &MockUpstream, reasoning: bool) -> Target {
    let mut model = ResolvedModel::new("lmstudio", "qwen/qwen3-8b", Api::OpenaiResponses, up.base_url());
    model.reasoning = reasoning;
    Target::new(model)
}

fn weather() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Current weather of a city".into()),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    }
}

fn full_request() -> ModelRequest {
    ModelRequest {
        model: "qwen/qwen3-8b".into(),
        system: Some("You are terse.".into()),
        messages: vec![Message::user("Weather in Paris?")],
        tools: vec![weather()],
        tool_choice: Some(ToolChoice::Required),
        max_tokens: Some(256),
        temperature: Some(0.6),
        top_p: Some(0.9),
        stop: vec!["<|im_end|>".into()],
        reasoning: Some(ReasoningEffort::Low),
        ..ModelRequest::default()
    }
}

/// Streams `request` to the mock and returns what the mock received.
async fn streamed(up: &MockUpstream, target: &Target, request: &ModelRequest) -> RecordedRequest {
    let mut stream = Client::default().stream(target, request).await.expect("stream starts");
    while let Some(event) = stream.next().await {
        event.expect("stream finishes");
    }
    up.last_request().expect("the mock saw the request")
}

async fn completed(up: &MockUpstream, target: &Target, request: &ModelRequest) -> RecordedRequest {
    Client::default().complete(target, request).await.expect("call completes");
    up.last_request().expect("the mock saw the request")
}

#[tokio::test]
async fn stream_sends_every_field_of_a_full_request() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    let mut target = target(&up, true).with_key("lm-studio-key");
    target.headers.push(("x-team".into(), "core".into()));
    let seen = streamed(&up, &target, &full_request()).await;

    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/responses");
    assert_eq!(seen.header("accept"), Some("text/event-stream"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.api_key(), Some("lm-studio-key"));
    assert_eq!(seen.header("x-team"), Some("core"));

    let body = &seen.body;
    assert_eq!(body["model"], "qwen/qwen3-8b");
    assert_eq!(body["stream"], true);
    assert_eq!(
        body["input"],
        json!([
            {"type": "message", "role": "system", "content": "You are terse."},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather in Paris?"}]}
        ])
    );
    assert_eq!(
        body["tools"],
        json!([{"type": "function", "name": "get_weather", "description": "Current weather of a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}])
    );
    assert_eq!(body["tool_choice"], "required");
    assert_eq!(body["max_output_tokens"], 256);
    assert_eq!(body["temperature"], json!(0.6));
    assert_eq!(body["top_p"], json!(0.9));
    assert_eq!(body["reasoning"], json!({"effort": "low", "summary": "auto"}));
    assert_eq!(body["include"], json!(["reasoning.encrypted_content"]));
    for absent in ["stop", "store", "prompt_cache_key", "service_tier", "instructions", "messages"] {
        assert!(body.get(absent).is_none(), "`{absent}` must not be sent to a proxy route: {body}");
    }
}

#[tokio::test]
async fn complete_sends_the_same_body_unstreamed() {
    let up = MockUpstream::start(Flavor::OpenAi).await;
    up.push(Script::text("Sunny."));
    let target = target(&up, false);
    let request =
        ModelRequest { model: "gpt-4.1".into(), messages: vec![Message::user("hi")], ..Default::default() };
    let completion = Client::default().complete(&target, &request).await.expect("call completes");
    assert_eq!(completion.response.message.text(), "Sunny.");
    let seen = up.last_request().unwrap();
    assert_eq!(seen.path, "/v1/responses");
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(
        seen.body,
        json!({"model": "gpt-4.1", "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
        ], "stream": false})
    );
}

#[tokio::test]
async fn proxy_routes_never_get_openai_only_fields_even_when_params_ask() {
    let up = MockUpstream::start(Flavor::OpenAi).await;
    let mut request = full_request();
    request.params.insert("serviceTier".into(), json!("priority"));
    request.params.insert("promptCacheKey".into(), json!("session-1"));
    let mut target = target(&up, true);
    target.model.compat.supports_developer_role = Some(true);
    let body = completed(&up, &target, &request).await.body;
    assert!(body.get("store").is_none() && body.get("service_tier").is_none());
    assert!(body.get("prompt_cache_key").is_none());
    assert_eq!(body["input"][0]["role"], "system", "the developer role is OpenAI's own");
}

#[tokio::test]
async fn compat_flags_shape_the_body() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    let request = full_request();

    let mut no_tools = target(&up, true);
    no_tools.model.compat.supports_tools = Some(false);
    let body = completed(&up, &no_tools, &request).await.body;
    assert!(body.get("tools").is_none() && body.get("tool_choice").is_none());

    let mut no_sampling = target(&up, true);
    no_sampling.model.compat.supports_temperature = Some(false);
    let body = completed(&up, &no_sampling, &request).await.body;
    assert!(body.get("temperature").is_none() && body.get("top_p").is_none());

    let mut no_effort = target(&up, true);
    no_effort.model.compat.supports_reasoning_effort = Some(false);
    let body = completed(&up, &no_effort, &request).await.body;
    assert_eq!(body["reasoning"], json!({"summary": "auto"}));

    let mut mapped = target(&up, true);
    mapped.model.compat.reasoning_effort_map =
        Some([("low".to_owned(), "on".to_owned())].into_iter().collect());
    assert_eq!(completed(&up, &mapped, &request).await.body["reasoning"]["effort"], "on");

    let mut listed = target(&up, true);
    listed.model.compat.supported_reasoning_efforts = Some(vec!["medium".into(), "high".into()]);
    assert_eq!(completed(&up, &listed, &request).await.body["reasoning"]["effort"], "medium");

    let mut strict = target(&up, true);
    strict.model.compat.supports_strict_mode = Some(true);
    assert_eq!(completed(&up, &strict, &request).await.body["tools"][0]["strict"], false);

    let body = completed(&up, &target(&up, false), &request).await.body;
    assert!(body.get("reasoning").is_none() && body.get("include").is_none(), "not a reasoning model");
}

#[tokio::test]
async fn extra_body_is_merged_last() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    let mut request = full_request();
    request.params.insert(
        "extra_body".into(),
        json!({"temperature": 1.0, "reasoning": {"effort": "high"}, "store": true, "ttl": 600}),
    );
    let body = streamed(&up, &target(&up, true), &request).await.body;
    assert_eq!(body["temperature"], json!(1.0));
    assert_eq!(
        body["reasoning"],
        json!({"effort": "high", "summary": "auto"}),
        "objects merge one level deep"
    );
    assert_eq!(body["ttl"], 600);
    assert!(body.get("store").is_none(), "`store` is stripped again on proxy routes");
}

#[tokio::test]
async fn history_images_and_tool_results_reach_the_server() {
    let up = MockUpstream::start(Flavor::LmStudio).await;
    let mut target = target(&up, false);
    target.model.input = vec!["text".into(), "image".into()];
    let request = ModelRequest {
        model: "qwen/qwen3-8b".into(),
        messages: vec![
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::text("What is in the picture, and the weather there?"),
                    ContentBlock::Image {
                        source: ImageSource::Base64 {
                            media_type: "image/png".into(),
                            data: "iVBORw0K".into(),
                        },
                    },
                ],
            },
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::thinking("it is the Eiffel tower"),
                    ContentBlock::text("The Eiffel tower."),
                    ContentBlock::ToolCall {
                        id: "call_8|fc_8".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "call_8|fc_8".into(),
                    name: Some("get_weather".into()),
                    content: vec![ContentBlock::text("{\"temp\":18}")],
                    is_error: false,
                }],
            },
        ],
        tools: vec![weather()],
        ..ModelRequest::default()
    };
    let input = streamed(&up, &target, &request).await.body["input"].clone();
    assert_eq!(
        input,
        json!([
            {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "What is in the picture, and the weather there?"},
                {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0K", "detail": "auto"}
            ]},
            {"type": "message", "role": "assistant", "status": "completed",
             "content": [{"type": "output_text", "text": "The Eiffel tower.", "annotations": []}]},
            {"type": "function_call", "call_id": "call_8", "name": "get_weather", "arguments": "{\"city\":\"Paris\"}"},
            {"type": "function_call_output", "call_id": "call_8", "output": "{\"temp\":18}"}
        ])
    );
    assert!(!input.to_string().contains("it is the Eiffel tower"), "unreplayable reasoning is not sent back");

    let text_only = self::target(&up, false);
    let input: Value = streamed(&up, &text_only, &request).await.body["input"].clone();
    assert_eq!(
        input[0]["content"],
        json!([{"type": "input_text", "text": "What is in the picture, and the weather there?"}])
    );
}
